// Printing a cluster file's problems, each at its line and column with its
// hint, as `rlg validate`, `rlg plan` and `rlg compare` show them.
#pragma once

#include "rlg/Spec/ClusterSpec.h"

#include <ostream>
#include <string>
#include <vector>

namespace rlg::driver {

/// "FILE:LINE:COL: error: MESSAGE", "hint: ..." per error, then a count.
void printClusterErrors(std::ostream &os, const std::string &file,
                        const std::vector<ClusterError> &errors);

/// Reads a cluster file; prints its problems and returns false when it is
/// not valid.
bool readClusterOrReport(const std::string &file, ClusterSpec &cluster);

} // namespace rlg::driver
