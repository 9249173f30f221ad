// The rlg driver's subcommands.
#pragma once

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

} // namespace rlg::driver
