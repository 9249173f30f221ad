// The rlg driver's subcommands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::driver {

/// Exit codes shared by every subcommand.
enum ExitCode { kExitOk = 0, kExitUserError = 1, kExitInternalError = 2 };

struct CheckOptions {
  std::vector<std::string> files;
  bool dumpAst = false;
  bool summary = false;
  bool warningsAsErrors = false;
  std::string color = "auto"; // auto, always or never
};

int runCheck(const CheckOptions &options);

struct ValidateOptions {
  std::vector<std::string> files;
};

int runValidate(const ValidateOptions &options);

struct CompileOptions {
  std::string file;
  /// Where to stop: ast, lowered (before any pass), mlir (canonical IR),
  /// planned (placed IR) or schedule.
  std::string emit = "schedule";
  std::string output = "-"; // "-" is stdout.
  std::string strategy = "single-device";
  std::string deviceKind = "cpu";
  bool locations = false; // Print IR with its source locations.
  std::string color = "auto";
};

/// Only in a build with the compiler half.
int runCompile(const CompileOptions &options);

struct RunOptions {
  std::string file;     // a program to compile, or
  std::string schedule; // a compiled schedule
  std::string resume;   // rlg-runtime's --resume; "" for a fresh run
  int64_t checkpointEvery = 0;
  bool quiet = false;
  std::string out;     // the run folder; default runs/<program>
  int64_t steps = -1;  // stop after this many steps when >= 0
  std::string runtime; // the rlg-runtime executable, "" when not built
  std::string color = "auto";
  std::string device;    // rlg-runtime's --device; "" leaves its default
  std::string precision; // rlg-runtime's --precision; "" leaves its default
};

/// Compiles the program to OUT/schedule.json (in a build with the compiler
/// half) or takes the schedule given, then replaces this process with
/// `rlg-runtime run` on it.
int runRun(const RunOptions &options);

} // namespace rlg::driver
