// What a run holds across steps: the schedule, the models with their
// optimisers, the data sources with their positions, the tokenizer.
#pragma once

#include "rlg/Runtime/Data/ExampleSource.h"
#include "rlg/Runtime/Data/Tokenizer.h"
#include "rlg/Runtime/Distributed/OpPlacement.h"
#include "rlg/Runtime/Distributed/ProcessGroups.h"
#include "rlg/Runtime/Distributed/TensorParallel.h"
#include "rlg/Runtime/Executor/StepValues.h"
#include "rlg/Runtime/Model/Model.h"
#include "rlg/Schedule/Schedule.h"

#include <torch/optim/adamw.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace rlg::runtime {

/// A user-facing runtime error: bad data, a schedule the runtime cannot run.
class RunError : public std::runtime_error {
public:
  RunError(const std::string &message, std::string hint = {})
      : std::runtime_error(message), hint(std::move(hint)) {}
  std::string hint;
};

struct ModelState {
  const schedule::Model *decl = nullptr;
  Model model{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer;
  int64_t optimizerSteps = 0;        // taken so far
  int64_t plannedOptimizerSteps = 0; // for the LR schedule; 0 until known
  /// Where this rank's weights and optimiser state live: the layout of the
  /// model's update, else of its first call (primaryOpOf). A rank outside
  /// that mesh holds an unsplit copy it never trains.
  OpPlacement placement;
  /// ZeRO-1: the data-parallel rank that owns each parameter's optimiser
  /// state, in parameter order; empty without ZeRO.
  std::vector<int64_t> zeroOwners;
  /// Counts optimiser steps and weight loads: a copy in another layout is
  /// refreshed when its version is behind.
  int64_t version = 0;
  struct LayoutCopy {
    Model model{nullptr};
    int64_t version = -1;
  };
  /// The weights split another number of ways (generation at another
  /// tensor-parallel degree), by that degree.
  std::map<int64_t, LayoutCopy> copies;
  /// Whether the weights and optimiser state sit in host memory (offload).
  bool offloaded = false;
};

struct DataState {
  const schedule::DataSource *decl = nullptr;
  /// The examples: a built-in task's in memory, a JSONL file's index of
  /// record offsets (Data/JsonlExamples.h), read as batches are drawn.
  std::shared_ptr<const ExampleSource> examples;
  /// How many examples the source has.
  int64_t size() const { return examples ? examples->size() : 0; }
  /// Reading order: a seeded shuffle per epoch.
  std::vector<int64_t> order;
  int64_t epoch = 0;
  int64_t position = 0;
  uint64_t seed = 0;
  /// Draws the next `count` example indices, reshuffling at each epoch.
  std::vector<int64_t> draw(int64_t count);
  /// Continues reading at `index` of epoch `epoch` (after a resume).
  void restore(int64_t epoch, int64_t index);
};

struct RunOptions {
  std::string schedulePath; // for relative data paths
  std::string outDir = "runs/out";
  int64_t maxSteps = -1; // stop after this many steps (all stages) if >= 0
  bool quiet = false;
  /// Where the models and tensors live (resolveRunDevice, RunDevice.h).
  torch::Device device = torch::kCPU;
  /// How the models' forward passes compute (resolveRunPrecision); Bf16
  /// needs a CUDA device.
  Precision precision = Precision::Fp32;
  /// "" for a fresh run, "latest" for the newest checkpoint of the run's
  /// checkpoint folder, or a checkpoint's path.
  std::string resume;
  /// Save every this many steps (overrides the schedule's) when > 0.
  int64_t checkpointEvery = 0;
  /// How long a rank waits for the others (rendezvous and every
  /// collective) before stopping with an error.
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  /// The process groups of a distributed run (ProcessGroups::connect);
  /// null: runSchedule connects them from the environment.
  std::shared_ptr<ProcessGroups> groups;
};

class RunContext {
public:
  RunContext(const schedule::Schedule &schedule, const RunOptions &options);

  const schedule::Schedule &schedule;
  RunOptions options;
  /// The run's tokenizer (makeRunTokenizer, RunTokenizer.h): its Hugging
  /// Face models' tokenizer.json, else the built-in tasks' CharTokenizer.
  std::unique_ptr<const Tokenizer> tokenizerOwner;
  const Tokenizer &tokenizer;
  std::map<std::string, ModelState> models;
  std::map<std::string, DataState> data;
  /// Precomputed tables: name -> one row per example of its data source.
  std::map<std::string, at::Tensor> tables;
  /// Steps completed over all stages.
  int64_t globalStep = 0;

  ModelState &model(const std::string &name);
  DataState &dataSource(const std::string &name);
  /// Set while a step runs some of its ops again (a refilling filter's
  /// extra batches), so that they draw new random numbers.
  std::string seedRound;
  /// A seed for the `salt`-th random use in the current step (and round).
  uint64_t stepSeed(const std::string &salt) const;

  /// This process's world rank and the world's size.
  int64_t rank() const { return groups->rank(); }
  int64_t worldSize() const { return groups->worldSize(); }
  /// The process group of these world ranks (this rank among them).
  Communicator &group(const std::vector<int64_t> &ranks) {
    return groups->group(ranks);
  }
  /// Where `op` runs on this rank.
  OpPlacement placement(const schedule::Op &op) const {
    return placeOp(schedule, op, rank());
  }
  /// The tensor-parallel group of a placement (none for tp = 1).
  TensorParallel tensorParallel(const OpPlacement &place) {
    return place.tp > 1 && place.contains()
               ? TensorParallel{&group(place.tpGroup)}
               : TensorParallel{};
  }
  std::shared_ptr<ProcessGroups> groups;

private:
  void buildModels();
  void loadData();
  std::string resolveDataPath(const std::string &file) const;
  /// A path of the program: as given when absolute, else relative to the
  /// program's folder, else to the schedule's; RunError naming `what`.
  std::string resolveInputPath(const std::string &file, const std::string &what,
                               const std::string &hint) const;
  /// Loads `init = "PATH[:MODEL]"`: another run's checkpoint.
  void loadInitialWeights(const schedule::Model &decl, Model &model);
};

} // namespace rlg::runtime
