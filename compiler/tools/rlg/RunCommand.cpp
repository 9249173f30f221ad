// `rlg run`: compile a program to a schedule (or take a compiled one), then
// hand it to rlg-runtime.
#include "Commands.h"

#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace rlg::driver {

bool createRunFolder(const std::string &out) {
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec)
    std::cerr << out
              << ": error: cannot create the run folder: " << ec.message()
              << '\n';
  return !ec;
}

int runInspect(const InspectOptions &options) {
  if (options.runtime.empty()) {
    std::cerr << "rlg inspect: error: rlg-runtime is not built beside rlg\n"
              << "hint: configure with -DRLG_ENABLE_TORCH=ON\n";
    return kExitUserError;
  }
  std::vector<std::string> args = {options.runtime, "inspect", options.path};
  if (options.json)
    args.push_back("--json");
  return execRuntime("inspect", std::move(args));
}

int runRun(const RunOptions &options) {
  if (options.runtime.empty()) {
    std::cerr << "rlg run: error: rlg-runtime is not built beside rlg\n"
              << "hint: configure with -DRLG_ENABLE_TORCH=ON, or compile with "
                 "`rlg compile` and run the schedule on a machine that has "
                 "the runtime\n";
    return kExitUserError;
  }
  if (options.file.empty() == options.schedule.empty()) {
    std::cerr << "rlg run: error: "
              << (options.file.empty() ? "give a program or --schedule"
                                       : "give a program or --schedule, not "
                                         "both")
              << "\nhint: rlg run FILE.rlg compiles and runs; rlg run "
                 "--schedule S.json runs a compiled schedule\n";
    return kExitUserError;
  }
#ifndef RLG_HAVE_MLIR
  if (!options.file.empty()) {
    std::cerr << "rlg run: error: this rlg was built without the compiler, "
                 "so it cannot compile "
              << options.file
              << "\nhint: compile it where the compiler is built (rlg "
                 "compile FILE -o S.json) and run rlg run --schedule S.json "
                 "here\n";
    return kExitUserError;
  }
#endif
  std::string out = options.out;
  if (out.empty())
    out = "runs/" + std::filesystem::path(
                        options.file.empty() ? options.schedule : options.file)
                        .stem()
                        .string();
  if (!createRunFolder(out))
    return kExitUserError;
  std::string schedule = options.schedule;
#ifdef RLG_HAVE_MLIR
  if (!options.file.empty()) {
    CompileOptions compile;
    compile.file = options.file;
    compile.output = (std::filesystem::path(out) / "schedule.json").string();
    compile.color = options.color;
    compile.params = options.params;
    if (int code = runCompile(compile); code != kExitOk)
      return code;
    schedule = compile.output;
  }
#endif
  std::vector<std::string> args = {options.runtime, "run",   "--schedule",
                                   schedule,        "--out", out};
  for (std::string &arg : runtimeRunArguments(options))
    args.push_back(std::move(arg));
  return execRuntime("run", std::move(args));
}

std::vector<std::string> runtimeRunArguments(const RunOptions &options) {
  std::vector<std::string> args;
  auto pass = [&](const char *flag, const std::string &value) {
    if (!value.empty()) {
      args.push_back(flag);
      args.push_back(value);
    }
  };
  pass("--steps", options.steps >= 0 ? std::to_string(options.steps) : "");
  pass("--device", options.device);
  pass("--precision", options.precision);
  pass("--resume", options.resume);
  pass("--checkpoint-every", options.checkpointEvery > 0
                                 ? std::to_string(options.checkpointEvery)
                                 : "");
  if (options.quiet)
    args.push_back("--quiet");
  return args;
}

int execRuntime(const std::string &command, std::vector<std::string> args) {
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout << std::flush;
  execv(args[0].c_str(), argv.data());
  std::cerr << "rlg " << command << ": error: cannot start " << args[0] << '\n';
  return kExitInternalError;
}

} // namespace rlg::driver
