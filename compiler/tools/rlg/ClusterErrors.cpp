// Printing a cluster file's located problems.
#include "ClusterErrors.h"

#include <iostream>

namespace rlg::driver {

void printClusterErrors(std::ostream &os, const std::string &file,
                        const std::vector<ClusterError> &errors) {
  for (const ClusterError &error : errors) {
    os << file;
    if (error.line > 0)
      os << ':' << error.line << ':' << error.column;
    os << ": error: " << error.message << '\n';
    if (!error.hint.empty())
      os << "hint: " << error.hint << '\n';
  }
  os << file << ": " << errors.size() << " error"
     << (errors.size() == 1 ? "" : "s") << '\n';
}

bool readClusterOrReport(const std::string &file, ClusterSpec &cluster) {
  std::vector<ClusterError> errors;
  if (readClusterFile(file, cluster, errors))
    return true;
  printClusterErrors(std::cerr, file, errors);
  return false;
}

} // namespace rlg::driver
