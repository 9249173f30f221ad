// Building a run's models, optimisers and data sources from a schedule.
#include "rlg/Runtime/Executor/RunContext.h"

#include "rlg/Runtime/Checkpoint/Checkpoint.h"
#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Data/JsonlExamples.h"
#include "rlg/Runtime/Data/Tasks.h"
#include "rlg/Runtime/Distributed/DataParallel.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Executor/HfModels.h"
#include "rlg/Runtime/Executor/ModelLayouts.h"
#include "rlg/Runtime/Executor/RunDevice.h"
#include "rlg/Runtime/Executor/RunTokenizer.h"
#include "rlg/Runtime/Model/ModelCopy.h"

#include <algorithm>
#include <filesystem>
#include <functional>

namespace rlg::runtime {

namespace {

int64_t intArg(const std::vector<schedule::AttrEntry> &args,
               const std::string &key, int64_t fallback) {
  const schedule::AttrValue *v = schedule::findAttr(args, key);
  return v && v->isNumber() ? static_cast<int64_t>(v->asDouble()) : fallback;
}

std::string stringArg(const std::vector<schedule::AttrEntry> &args,
                      const std::string &key, const std::string &fallback) {
  const schedule::AttrValue *v = schedule::findAttr(args, key);
  return v && v->kind == schedule::AttrValue::Kind::String ? v->stringValue
                                                           : fallback;
}

uint64_t mix(uint64_t seed, const std::string &salt) {
  return seed * 0x9E3779B97F4A7C15ull ^ std::hash<std::string>{}(salt);
}

} // namespace

std::vector<int64_t> DataState::draw(int64_t count) {
  std::vector<int64_t> out;
  int64_t size = this->size();
  if (size == 0)
    throw RunError("data source '" + decl->name + "' has no examples");
  while (static_cast<int64_t>(out.size()) < count) {
    if (order.empty() || position >= size) {
      if (!order.empty())
        ++epoch;
      order.resize(size);
      for (int64_t i = 0; i < size; ++i)
        order[i] = i;
      std::mt19937_64 rng(seed + static_cast<uint64_t>(epoch));
      std::shuffle(order.begin(), order.end(), rng);
      position = 0;
    }
    out.push_back(order[position++]);
  }
  return out;
}

void DataState::restore(int64_t atEpoch, int64_t index) {
  epoch = atEpoch;
  int64_t size = this->size();
  order.resize(size);
  for (int64_t i = 0; i < size; ++i)
    order[i] = i;
  std::mt19937_64 rng(seed + static_cast<uint64_t>(epoch));
  std::shuffle(order.begin(), order.end(), rng);
  position = index;
}

RunContext::RunContext(const schedule::Schedule &schedule,
                       const RunOptions &options)
    : schedule(schedule), options(options),
      tokenizerOwner(makeRunTokenizer(schedule, options.schedulePath)),
      tokenizer(*tokenizerOwner), groups(options.groups) {
  if (!groups)
    groups = ProcessGroups::connect(DistributedEnv{}, options.device,
                                    std::chrono::milliseconds(0));
  checkRunPrecision(options);
  buildModels();
  loadData();
}

ModelState &RunContext::model(const std::string &name) {
  auto it = models.find(name);
  if (it == models.end())
    throw RunError("the schedule uses model '" + name +
                   "', which it does not declare");
  return it->second;
}

DataState &RunContext::dataSource(const std::string &name) {
  auto it = data.find(name);
  if (it == data.end())
    throw RunError("the schedule uses data source '" + name +
                   "', which it does not declare");
  return it->second;
}

uint64_t RunContext::stepSeed(const std::string &salt) const {
  return mix(static_cast<uint64_t>(schedule.run.seed) * 1000003u +
                 static_cast<uint64_t>(globalStep),
             seedRound.empty() ? salt : salt + "#" + seedRound);
}

void RunContext::buildModels() {
  uint64_t seed = static_cast<uint64_t>(schedule.run.seed);
  // Sources first: a frozen copy or `from = M` needs M built. The validator
  // guarantees the references form no cycle.
  std::function<void(const schedule::Model &)> build =
      [&](const schedule::Model &decl) {
        if (models.count(decl.name))
          return;
        for (const std::string &source : {decl.frozenFrom, decl.initFrom})
          if (!source.empty())
            if (const schedule::Model *other = schedule.findModel(source))
              build(*other);
        ModelState state;
        state.decl = &decl;
        if (const schedule::Op *primary = primaryOpOf(schedule, decl.name))
          state.placement = placeOp(schedule, *primary, rank());
        TensorParallel tp = tensorParallel(state.placement);
        if (decl.frozen) {
          ModelState &source = models.at(decl.frozenFrom);
          bool sourceSplit =
              source.placement.contains() && source.placement.tp > 1;
          if (!sourceSplit && !tp.active()) {
            state.model = frozenCopy(source.model);
          } else {
            // A split source or copy: the whole weights, this rank's slice.
            state.model =
                Model(source.model->spec(), source.model->role(), 0, tp);
            state.model->to(options.device);
            loadFullWeights(*state.model, fullWeightsOf(source));
            for (at::Tensor &p : state.model->parameters())
              p.set_requires_grad(false);
            state.model->eval();
          }
        } else {
          // A preset brings its constants (RoPE base, q/k/v biases); the
          // schedule's arch holds the sizes, overrides included.
          ModelSpec spec = modelSpecFromArch(decl.arch);
          if (!decl.hf.empty()) {
            spec = hfModelSpec(decl); // config.json's constants too
          } else if (!decl.preset.empty()) {
            ModelSpec preset = modelSpecFromPreset(decl.preset);
            spec.ropeTheta = preset.ropeTheta;
            spec.qkvBias = preset.qkvBias;
            spec.rmsEps = preset.rmsEps;
          } else if (!decl.initFrom.empty()) {
            // `from = M` without a preset: M's constants (M may come from
            // a Hugging Face checkpoint).
            const ModelSpec &source = models.at(decl.initFrom).model->spec();
            spec.ropeTheta = source.ropeTheta;
            spec.qkvBias = source.qkvBias;
            spec.rmsEps = source.rmsEps;
            spec.maxPositions = source.maxPositions;
            spec.ropeScaling = source.ropeScaling;
          }
          state.model = Model(spec, parseModelRole(decl.role),
                              mix(seed, "init:" + decl.name), tp);
          if (!decl.hf.empty())
            loadHfModelWeights(decl, *state.model);
          // A model declared `from = M` takes M's weights when its first
          // stage starts (startStage).
          state.model->to(options.device);
        }
        state.model->setPrecision(options.precision);
        if (!decl.init.empty())
          loadInitialWeights(decl, state.model);
        if (decl.role == "policy")
          tokenizer.checkFitsVocab(decl.arch.vocab);
        if (decl.trainable && decl.optimizer) {
          const schedule::Optimizer &opt = *decl.optimizer;
          std::vector<at::Tensor> params = state.model->parameters();
          const schedule::Op *update = primaryOpOf(schedule, decl.name);
          if (update && update->layout.zero >= 1 && state.placement.dp > 1 &&
              state.placement.contains()) {
            // ZeRO-1: this rank keeps the optimiser state of its share.
            state.zeroOwners = partitionParameters(params, state.placement.dp);
            std::vector<at::Tensor> owned;
            for (size_t i = 0; i < params.size(); ++i)
              if (state.zeroOwners[i] == state.placement.dpRank)
                owned.push_back(params[i]);
            params = owned;
          }
          state.optimizer = std::make_unique<torch::optim::AdamW>(
              params,
              torch::optim::AdamWOptions(opt.lr).weight_decay(opt.weightDecay));
        }
        models.emplace(decl.name, std::move(state));
      };
  for (const schedule::Model &decl : schedule.models)
    build(decl);
}

void RunContext::loadInitialWeights(const schedule::Model &decl, Model &model) {
  // "PATH" or "PATH:MODEL" (a colon after the last slash names the model).
  std::string path = decl.init, name;
  size_t colon = path.rfind(':');
  if (colon != std::string::npos &&
      (path.rfind('/') == std::string::npos || colon > path.rfind('/'))) {
    name = path.substr(colon + 1);
    path.resize(colon);
  }
  std::string where =
      "model '" + decl.name + "': init = \"" + decl.init + "\": ";
  try {
    loadModelWeights(resolveInputPath(path, "checkpoint",
                                      "give init a path relative to the "
                                      "program's folder"),
                     name, *model);
  } catch (const CheckpointError &e) {
    throw RunError(where + e.file().string() + ": " + e.problem(), e.hint());
  } catch (const RunError &e) {
    throw RunError(where + e.what(), e.hint);
  }
}

std::string RunContext::resolveDataPath(const std::string &file) const {
  return resolveInputPath(file, "data file",
                          "run from the folder the program was compiled in, "
                          "or keep the data beside the schedule");
}

std::string RunContext::resolveInputPath(const std::string &file,
                                         const std::string &what,
                                         const std::string &hint) const {
  std::filesystem::path path(file);
  if (path.is_absolute())
    return path.string();
  // Relative to the program's folder (as the compiler was given it), else to
  // the schedule's folder.
  std::vector<std::filesystem::path> bases = {
      std::filesystem::path(schedule.program.source).parent_path(),
      std::filesystem::path(options.schedulePath).parent_path()};
  std::string tried;
  for (const std::filesystem::path &base : bases) {
    std::filesystem::path candidate = base / path;
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec))
      return candidate.string();
    tried += (tried.empty() ? "" : ", ") + candidate.string();
  }
  throw RunError(what + " '" + file + "' not found (tried " + tried + ")",
                 hint);
}

void RunContext::loadData() {
  for (const schedule::DataSource &decl : schedule.data) {
    DataState state;
    state.decl = &decl;
    state.seed =
        mix(static_cast<uint64_t>(schedule.run.seed), "data:" + decl.name);
    if (!decl.task.empty()) {
      TaskSpec spec;
      spec.kind = parseTaskKind(decl.task);
      spec.digits = intArg(decl.taskArgs, "digits", spec.digits);
      spec.ops = stringArg(decl.taskArgs, "ops", spec.ops);
      spec.length = intArg(decl.taskArgs, "length", 0);
      spec.split = parseTaskSplit(stringArg(decl.taskArgs, "split", "train"));
      spec.size = intArg(decl.taskArgs, "size", spec.size);
      spec.seed = static_cast<uint64_t>(intArg(decl.taskArgs, "seed", 0));
      spec.validate();
      std::vector<Example> examples;
      for (const TaskExample &task : makeTaskExamples(spec)) {
        Example example;
        example.prompt = task.prompt;
        example.answer = task.answer;
        examples.push_back(std::move(example));
      }
      state.examples = std::make_shared<InMemoryExamples>(std::move(examples));
    } else {
      // Every record is checked now, before the first step; batches read
      // theirs by offset.
      state.examples = std::make_shared<JsonlExamples>(
          resolveDataPath(decl.jsonlPath), decl.kind, decl.fields);
    }
    data.emplace(decl.name, std::move(state));
  }
}

} // namespace rlg::runtime
