// rlg-runtime: the executable half that runs on LibTorch; `rlg` hands it work.
#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Executor/Executor.h"
#include "rlg/Runtime/Executor/RunDevice.h"
#include "rlg/Runtime/RuntimeInfo.h"
#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

namespace {

/// Prints a RunError as `prefix: error: ...` and its hint.
int reportRunError(const std::string &prefix, const rlg::runtime::RunError &e) {
  std::cerr << prefix << ": error: " << e.what() << '\n';
  if (!e.hint.empty())
    std::cerr << "hint: " << e.hint << '\n';
  return 1;
}

int runCommand(const std::string &path, const rlg::runtime::RunOptions &base,
               const std::string &device, const std::string &precision) {
  rlg::runtime::RunOptions options = base;
  // The device first: a machine without CUDA says so before any loading.
  try {
    options.device = rlg::runtime::resolveRunDevice(device);
    options.precision =
        rlg::runtime::resolveRunPrecision(precision, options.device);
  } catch (const rlg::runtime::RunError &e) {
    return reportRunError("rlg-runtime run", e);
  }
  rlg::schedule::Schedule plan;
  std::vector<rlg::schedule::ScheduleError> errors;
  if (!rlg::schedule::loadSchedule(path, plan, errors)) {
    for (const auto &error : errors) {
      std::cerr << path
                << ": error: " << rlg::schedule::formatScheduleError(error)
                << '\n';
      if (!error.hint.empty())
        std::cerr << "hint: " << error.hint << '\n';
    }
    return 1;
  }
  options.schedulePath = path;
  try {
    rlg::runtime::runSchedule(plan, options, std::cout);
  } catch (const rlg::runtime::RunError &e) {
    return reportRunError(path, e);
  } catch (const rlg::runtime::CheckpointError &e) {
    std::cerr << path << ": error: " << e.what() << '\n';
    return 1;
  } catch (const std::invalid_argument &e) {
    std::cerr << path << ": error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"rlg-runtime: executes rlg schedules with LibTorch"};
  bool version = false, selfTest = false;
  app.add_flag("--version", version,
               "Print the LibTorch version and the devices");
  app.add_flag("--self-test", selfTest, "Run a small tensor computation");
  std::string schedulePath;
  rlg::runtime::RunOptions options;
  CLI::App *run = app.add_subcommand("run", "Run a compiled schedule");
  run->add_option("--schedule", schedulePath, "The schedule file")->required();
  run->add_option("--out", options.outDir,
                  "Where metrics (and later checkpoints) go")
      ->capture_default_str();
  run->add_option("--steps", options.maxSteps,
                  "Stop after this many steps (all stages together)");
  run->add_flag("--quiet", options.quiet, "No per-step lines");
  run->add_option("--resume", options.resume,
                  "Continue from a checkpoint: 'latest' or a path");
  run->add_option("--checkpoint-every", options.checkpointEvery,
                  "Save a checkpoint every N steps (overrides the program)");
  std::string device = "auto", precision = "auto";
  run->add_option("--device", device,
                  "auto (cuda:0 when CUDA is available, else cpu), cpu, "
                  "cuda or cuda:N")
      ->capture_default_str();
  run->add_option("--precision", precision,
                  "auto (bf16 on CUDA, fp32 on the CPU), fp32, or bf16 "
                  "(CUDA autocast; float32 weights, log-probs and losses)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    if (run->parsed())
      return runCommand(schedulePath, options, device, precision);
    if (version) {
      rlg::runtime::RuntimeInfo info = rlg::runtime::queryRuntimeInfo();
      std::cout << "LibTorch " << info.torchVersion << ", CUDA "
                << (info.cudaAvailable
                        ? std::to_string(info.cudaDevices) + " device(s)"
                        : std::string("not available"))
                << '\n';
    }
    if (selfTest) {
      double sum = rlg::runtime::runtimeSelfTest();
      std::cout << "self-test: sum = " << sum
                << (sum == 30.0 ? " (ok)" : " (WRONG)") << '\n';
      return sum == 30.0 ? 0 : 2;
    }
    if (!version)
      std::cout << app.help();
    return 0;
  } catch (const std::exception &e) {
    std::cerr << "rlg-runtime: internal error: " << e.what() << '\n';
    return 2;
  }
}
