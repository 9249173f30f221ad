// --param NAME=VALUE: relative paths that exist become absolute.
#include "Commands.h"

#include <filesystem>

namespace rlg::driver {

std::vector<std::string>
paramOverrides(const std::vector<std::string> &params) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string &param : params) {
    size_t eq = param.find('=');
    std::string value = eq == std::string::npos ? "" : param.substr(eq + 1);
    std::error_code error;
    if (!value.empty() && fs::path(value).is_relative() &&
        fs::exists(value, error))
      out.push_back(param.substr(0, eq + 1) +
                    fs::absolute(value, error).lexically_normal().string());
    else
      out.push_back(param);
  }
  return out;
}

} // namespace rlg::driver
