// The rlg driver's subcommands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rlg::driver {

/// Exit codes shared by every subcommand.
enum ExitCode { kExitOk = 0, kExitUserError = 1, kExitInternalError = 2 };

/// --param NAME=VALUE overrides as the program's checker takes them: a
/// value naming a file or folder that exists relative to the current
/// folder becomes its absolute path (paths in a program are relative to the
/// program's folder).
std::vector<std::string> paramOverrides(const std::vector<std::string> &params);

/// Creates the run folder `out` (and its parents); prints an error and
/// returns false when it cannot (`rlg run`, `rlg launch`).
bool createRunFolder(const std::string &out);

struct CheckOptions {
  std::vector<std::string> files;
  bool dumpAst = false;
  bool summary = false;
  bool warningsAsErrors = false;
  std::string color = "auto";      // auto, always or never
  std::vector<std::string> params; // --param NAME=VALUE
};

int runCheck(const CheckOptions &options);

struct ValidateOptions {
  std::vector<std::string> files;
};

int runValidate(const ValidateOptions &options);

struct CalibrateOptions {
  std::string input;  // a profile file (.toml) or a run folder
  std::string device; // a device profile replacing the input's
  std::string output; // the calibration file to write, "" for none
  /// A calibration file whose constants replace the defaults as the
  /// starting point ("before" then checks it on new measurements).
  std::string calibration;
};

/// Fits the cost model's efficiencies to measurements and reports its error.
int runCalibrate(const CalibrateOptions &options);

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
  std::vector<std::string> params; // --param NAME=VALUE
};

/// Only in a build with the compiler half.
int runCompile(const CompileOptions &options);

struct PlanOptions {
  std::string file;
  std::string cluster;               ///< the cluster file to plan for
  std::string strategy = "search";   ///< a planner strategy
  std::string out;                   ///< default plans/<program>
  std::vector<std::string> settings; ///< --set key=value
  std::string calibration;           ///< a calibration file, "" for none
  std::string color = "auto";
  std::vector<std::string> params; ///< --param NAME=VALUE
  /// Let the planner use pipeline stages (pp > 1): for sizing only.
  bool allowPipeline = false;
};

/// Plans a program for a cluster and writes the schedule and the planner's
/// outputs. Only in a build with the compiler half.
int runPlan(const PlanOptions &options);

struct CompareOptions {
  std::string file;
  std::string cluster;
  std::vector<std::string> strategies;
  std::vector<std::string> settings;
  std::string calibration;
  std::string color = "auto";
  std::vector<std::string> params; // --param NAME=VALUE
  /// Let the planner use pipeline stages (pp > 1): for sizing only.
  bool allowPipeline = false;
};

/// Plans a program with several strategies and prints them side by side.
/// Only in a build with the compiler half.
int runCompare(const CompareOptions &options);

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
  std::vector<std::string> params; // --param NAME=VALUE for the program
};

/// Compiles the program to OUT/schedule.json (in a build with the compiler
/// half) or takes the schedule given, then replaces this process with
/// `rlg-runtime run` on it.
int runRun(const RunOptions &options);

/// What `rlg run` and `rlg launch` pass on to `rlg-runtime run`: --steps,
/// --device, --precision, --resume, --checkpoint-every and --quiet, where
/// given.
std::vector<std::string> runtimeRunArguments(const RunOptions &options);

/// Replaces this process with `args[0]` run with `args`; returns (after
/// saying why) only when it cannot start. `command` names the subcommand.
int execRuntime(const std::string &command, std::vector<std::string> args);

struct InspectOptions {
  std::string path;    // a checkpoint folder, .safetensors file or index
  bool json = false;   // JSON for scripts
  std::string runtime; // the rlg-runtime executable, "" when not built
};

/// Replaces this process with `rlg-runtime inspect` on the path.
int runInspect(const InspectOptions &options);

struct LaunchOptions {
  RunOptions run;         // the program or schedule and the run's options
  int64_t nproc = 0;      // processes, one per device
  std::string cluster;    // the cluster to plan for; default N CPU devices
  int64_t masterPort = 0; // 0: rlg-runtime launch chooses
};

/// Plans the program for a cluster of `nproc` devices into
/// OUT/schedule.json (in a build with the compiler half) or takes the
/// schedule given, checks its device count, then replaces this process with
/// `rlg-runtime launch --nproc N` on it.
int runLaunch(const LaunchOptions &options);

struct TokenizeOptions {
  std::string tokenizer;    // a tokenizer.json, or a folder holding one
  bool decode = false;      // read ids, print text
  bool noSpecial = false;   // encode without the post-processor's tokens
  bool skipSpecial = false; // decode without special tokens
};

/// Encodes each line of standard input to one line of space-separated ids
/// (or decodes lines of ids with `decode`) with a Hugging Face
/// tokenizer.json. Only in a build with the runtime.
int runTokenize(const TokenizeOptions &options);

} // namespace rlg::driver
