// rlg-runtime: the executable half that runs on LibTorch; `rlg` hands it work.
#include "InspectCommand.h"

#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Distributed/Launcher.h"
#include "rlg/Runtime/Executor/Executor.h"
#include "rlg/Runtime/Executor/RunDevice.h"
#include "rlg/Runtime/RuntimeInfo.h"
#include "rlg/Schedule/ScheduleIO.h"
#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Spec/HfConfig.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <iostream>

namespace {

/// The options of `rlg-runtime run`; `launch` takes them too and passes
/// them on to every rank.
struct RunFlags {
  std::string schedule;
  rlg::runtime::RunOptions options;
  std::string device = "auto";
  std::string precision = "auto";
  double timeoutSeconds = 600;
};

void addRunOptions(CLI::App &command, RunFlags &flags) {
  command.add_option("--schedule", flags.schedule, "The schedule file");
  command
      .add_option("--out", flags.options.outDir,
                  "Where metrics and checkpoints go")
      ->capture_default_str();
  command.add_option("--steps", flags.options.maxSteps,
                     "Stop after this many steps (all stages together)");
  command.add_flag("--quiet", flags.options.quiet, "No per-step lines");
  command.add_option("--resume", flags.options.resume,
                     "Continue from a checkpoint: 'latest' or a path");
  command.add_option("--checkpoint-every", flags.options.checkpointEvery,
                     "Save a checkpoint every N steps (overrides the "
                     "program)");
  command
      .add_option("--device", flags.device,
                  "auto (cuda:0 when CUDA is available, else cpu), cpu, "
                  "cuda or cuda:N")
      ->capture_default_str();
  command
      .add_option("--precision", flags.precision,
                  "auto (bf16 on CUDA, fp32 on the CPU), fp32, or bf16 "
                  "(CUDA autocast; float32 weights, log-probs and losses)")
      ->capture_default_str();
  command
      .add_option("--timeout", flags.timeoutSeconds,
                  "Seconds a rank waits for the others (rendezvous and each "
                  "collective) before it stops with an error")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
}

/// `flags` as the arguments of `rlg-runtime run`.
std::vector<std::string> runArguments(const RunFlags &flags) {
  const rlg::runtime::RunOptions &options = flags.options;
  std::vector<std::string> args = {"run",
                                   "--schedule",
                                   flags.schedule,
                                   "--out",
                                   options.outDir,
                                   "--device",
                                   flags.device,
                                   "--precision",
                                   flags.precision,
                                   "--timeout",
                                   std::to_string(flags.timeoutSeconds)};
  if (options.maxSteps >= 0)
    args.insert(args.end(), {"--steps", std::to_string(options.maxSteps)});
  if (!options.resume.empty())
    args.insert(args.end(), {"--resume", options.resume});
  if (options.checkpointEvery > 0)
    args.insert(args.end(), {"--checkpoint-every",
                             std::to_string(options.checkpointEvery)});
  if (options.quiet)
    args.push_back("--quiet");
  return args;
}

/// Prints `message` as `prefix: error: ...` and its hint; returns 1.
int reportError(const std::string &prefix, const std::string &message,
                const std::string &hint) {
  std::cerr << prefix << ": error: " << message << '\n';
  if (!hint.empty())
    std::cerr << "hint: " << hint << '\n';
  return 1;
}

/// Reads and validates the schedule at `path`; prints its errors.
bool loadOrReport(const std::string &path, rlg::schedule::Schedule &plan) {
  std::vector<rlg::schedule::ScheduleError> errors;
  if (rlg::schedule::loadSchedule(path, plan, errors))
    return true;
  for (const auto &error : errors) {
    std::cerr << path
              << ": error: " << rlg::schedule::formatScheduleError(error)
              << '\n';
    if (!error.hint.empty())
      std::cerr << "hint: " << error.hint << '\n';
  }
  return false;
}

int runCommand(const RunFlags &flags) {
  rlg::runtime::RunOptions options = flags.options;
  // The device first: a machine without CUDA says so before any loading.
  try {
    options.device = rlg::runtime::resolveRunDevice(flags.device);
    options.precision =
        rlg::runtime::resolveRunPrecision(flags.precision, options.device);
  } catch (const rlg::runtime::RunError &e) {
    return reportError("rlg-runtime run", e.what(), e.hint);
  }
  options.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(std::llround(flags.timeoutSeconds * 1000)));
  const std::string &path = flags.schedule;
  rlg::schedule::Schedule plan;
  if (!loadOrReport(path, plan))
    return 1;
  options.schedulePath = path;
  try {
    rlg::runtime::runSchedule(plan, options, std::cout);
  } catch (const rlg::runtime::RunError &e) {
    return reportError(path, e.what(), e.hint);
  } catch (const rlg::runtime::CheckpointError &e) {
    return reportError(path, e.what(), "");
  } catch (const rlg::runtime::DistributedError &e) {
    return reportError(
        path, e.what(),
        "the other ranks' output says which stopped first; the last "
        "complete checkpoint is intact: rerun with --resume latest and the "
        "same number of ranks");
  } catch (const std::invalid_argument &e) {
    return reportError(path, e.what(), "");
  }
  return 0;
}

/// `rlg-runtime launch`'s own options.
struct LaunchFlags {
  int64_t nproc = 0;
  int masterPort = 0;
  double graceSeconds = 10;
  /// A command to start instead of `rlg-runtime run` (after `--`).
  std::vector<std::string> command;
};

/// This executable, for the ranks to run.
std::string selfPath(const char *argv0) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec)
    self = std::filesystem::absolute(argv0, ec);
  return self.string();
}

int launchCommand(const LaunchFlags &launch, const RunFlags &run,
                  const char *argv0) {
  const std::string prefix = "rlg-runtime launch";
  if (launch.nproc < 1)
    return reportError(
        prefix,
        "--nproc must be at least 1, got " + std::to_string(launch.nproc),
        "start one process per device of the schedule: --nproc N with the "
        "schedule's device count (rlg validate S.json prints it)");
  if (launch.graceSeconds < 0 || !std::isfinite(launch.graceSeconds))
    return reportError(prefix, "--grace must be a number of seconds >= 0",
                       "the ranks get this long between SIGTERM and SIGKILL "
                       "once one fails; the default is 10");
  rlg::runtime::LaunchOptions options;
  options.name = prefix;
  options.nproc = launch.nproc;
  options.masterPort = launch.masterPort;
  options.grace = std::chrono::milliseconds(
      static_cast<int64_t>(std::llround(launch.graceSeconds * 1000)));
  if (!launch.command.empty()) {
    if (!run.schedule.empty())
      return reportError(prefix,
                         "give --schedule or a command after --, not "
                         "both",
                         "rlg-runtime launch --nproc N --schedule S.json "
                         "runs the schedule; rlg-runtime launch --nproc N -- "
                         "COMMAND runs COMMAND in each rank");
    options.argv = launch.command;
  } else {
    if (run.schedule.empty())
      return reportError(prefix, "give --schedule S.json",
                         "rlg-runtime launch --nproc N --schedule S.json "
                         "starts N ranks of rlg-runtime run on it");
    rlg::schedule::Schedule plan;
    if (!loadOrReport(run.schedule, plan))
      return 1;
    int64_t devices = plan.cluster.deviceCount;
    if (devices != launch.nproc)
      return reportError(
          prefix,
          run.schedule + " is planned for " + std::to_string(devices) +
              " device" + (devices == 1 ? "" : "s") + ", but --nproc is " +
              std::to_string(launch.nproc),
          "launch one process per device: --nproc " + std::to_string(devices) +
              ", or plan the program for " + std::to_string(launch.nproc) +
              " devices (rlg launch --nproc " + std::to_string(launch.nproc) +
              " FILE.rlg)");
    options.argv = {selfPath(argv0)};
    for (std::string &arg : runArguments(run))
      options.argv.push_back(std::move(arg));
  }
  try {
    return rlg::runtime::launchProcesses(options);
  } catch (const rlg::runtime::LaunchError &e) {
    return reportError(prefix, e.what(), e.hint);
  }
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"rlg-runtime: executes rlg schedules with LibTorch"};
  bool version = false, selfTest = false;
  app.add_flag("--version", version,
               "Print the LibTorch version and the devices");
  app.add_flag("--self-test", selfTest, "Run a small tensor computation");

  RunFlags runFlags;
  CLI::App *run = app.add_subcommand("run", "Run a compiled schedule");
  addRunOptions(*run, runFlags);
  run->get_option("--schedule")->required();

  RunFlags launchRunFlags;
  LaunchFlags launchFlags;
  CLI::App *launch = app.add_subcommand(
      "launch", "Run a schedule as N local processes, one per device (or "
                "COMMAND after --), with RANK, WORLD_SIZE, LOCAL_RANK, "
                "MASTER_ADDR and MASTER_PORT set");
  launch->add_option("--nproc", launchFlags.nproc, "Processes to start")
      ->required();
  launch
      ->add_option("--master-port", launchFlags.masterPort,
                   "MASTER_PORT of the ranks (default: $MASTER_PORT, else a "
                   "free port)")
      ->check(CLI::Range(1, 65535));
  launch
      ->add_option("--grace", launchFlags.graceSeconds,
                   "Seconds between SIGTERM and SIGKILL when a rank fails")
      ->capture_default_str();
  addRunOptions(*launch, launchRunFlags);
  launch->add_option("command", launchFlags.command,
                     "After --: a command each rank runs instead of "
                     "rlg-runtime run");

  rlg::runtime::InspectFlags inspectFlags;
  CLI::App *inspect = app.add_subcommand(
      "inspect", "List a checkpoint's tensors (dtype, shape) and its config");
  inspect
      ->add_option("path", inspectFlags.path,
                   "A Hugging Face checkpoint folder, a .safetensors file or "
                   "a model.safetensors.index.json")
      ->required();
  inspect->add_flag("--json", inspectFlags.json, "Print JSON for scripts");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    if (run->parsed())
      return runCommand(runFlags);
    if (launch->parsed())
      return launchCommand(launchFlags, launchRunFlags, argv[0]);
    if (inspect->parsed()) {
      try {
        return rlg::runtime::inspectCommand(inspectFlags);
      } catch (const rlg::runtime::CheckpointError &e) {
        return reportError("rlg inspect",
                           e.file().string() + ": " + e.problem(), e.hint());
      } catch (const rlg::HfConfigError &e) {
        return reportError("rlg inspect", e.where() + ": " + e.problem(),
                           e.hint());
      }
    }
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
