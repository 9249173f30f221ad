// `rlg run`: compile a program to a schedule, then hand it to rlg-runtime.
#include "Commands.h"

#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace rlg::driver {

int runRun(const RunOptions &options) {
  if (options.runtime.empty()) {
    std::cerr << "rlg run: error: rlg-runtime is not built beside rlg\n"
              << "hint: configure with -DRLG_ENABLE_TORCH=ON, or compile with "
                 "`rlg compile` and run the schedule on a machine that has "
                 "the runtime\n";
    return kExitUserError;
  }
  std::string out = options.out;
  if (out.empty())
    out = "runs/" + std::filesystem::path(options.file).stem().string();
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) {
    std::cerr << out
              << ": error: cannot create the run folder: " << ec.message()
              << '\n';
    return kExitUserError;
  }
  CompileOptions compile;
  compile.file = options.file;
  compile.output = (std::filesystem::path(out) / "schedule.json").string();
  compile.color = options.color;
  if (int code = runCompile(compile); code != kExitOk)
    return code;
  std::vector<std::string> args = {options.runtime, "run",   "--schedule",
                                   compile.output,  "--out", out};
  if (options.steps >= 0) {
    args.push_back("--steps");
    args.push_back(std::to_string(options.steps));
  }
  if (!options.device.empty()) {
    args.push_back("--device");
    args.push_back(options.device);
  }
  if (!options.precision.empty()) {
    args.push_back("--precision");
    args.push_back(options.precision);
  }
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout << std::flush;
  execv(options.runtime.c_str(), argv.data());
  std::cerr << "rlg run: error: cannot start " << options.runtime << '\n';
  return kExitInternalError;
}

} // namespace rlg::driver
