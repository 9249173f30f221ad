// Parsing `--set key=value` settings and applying them to a program's IR.
#include "rlg/Analysis/PlanSettings.h"

#include "rlg/Analysis/StepOps.h"
#include "rlg/Spec/ModelPresets.h"
#include "rlg/Support/TextDistance.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/TypeSwitch.h"

#include <charconv>
#include <set>

using namespace mlir;

namespace rlg::analysis {

namespace {

/// The settings that take a positive whole number, with what they mean.
struct NumberKey {
  const char *key;
  std::optional<int64_t> PlanSettings::*member;
  const char *example;
};
const NumberKey kNumberKeys[] = {
    {"prompts", &PlanSettings::prompts, "1024"},
    {"samples", &PlanSettings::samples, "8"},
    {"prompt_tokens", &PlanSettings::promptTokens, "1024"},
    {"response_tokens", &PlanSettings::responseTokens, "512"},
    {"iterations", &PlanSettings::iterations, "4"}};

std::optional<int64_t> parsePositive(const std::string &text) {
  int64_t value = 0;
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 1)
    return std::nullopt;
  return value;
}

std::string joined(const std::vector<std::string> &words) {
  std::string text;
  for (const std::string &word : words)
    text += (text.empty() ? "" : ", ") + word;
  return text;
}

/// "did you mean 'x'? " or "".
std::string suggestion(const std::string &word,
                       const std::vector<std::string> &candidates) {
  std::string text = didYouMean(word, candidates);
  return text.empty() ? "" : text + " ";
}

void parseModelKey(const std::string &key, const std::string &value,
                   llvm::ArrayRef<std::string> models, PlanSettings &out,
                   std::vector<SettingError> &errors) {
  size_t dot = key.find('.');
  std::string model = key.substr(0, dot);
  std::string field = key.substr(dot + 1);
  std::vector<std::string> modelList(models.begin(), models.end());
  if (!llvm::is_contained(models, model)) {
    errors.push_back({"unknown model '" + model + "' in setting '" + key + "'",
                      suggestion(model, modelList) +
                          "the program's models are: " + joined(modelList)});
    return;
  }
  if (field != "model" && field != "preset") {
    std::vector<std::string> keys = {model + ".model", model + ".preset"};
    errors.push_back({"unknown setting '" + key + "'",
                      suggestion(key, keys) + "a model's setting is " + model +
                          ".model=PRESET (or " + model + ".preset=PRESET)"});
    return;
  }
  if (!findModelPreset(value)) {
    errors.push_back(
        {"unknown model preset '" + value + "' in '" + key + "=" + value + "'",
         suggestion(value, modelPresetNames()) +
             "the presets are: " + joined(modelPresetNames())});
    return;
  }
  out.presets[model] = value;
}

/// The type `type` with another batch shape.
Type withShape(Type type, int64_t batch, int64_t samples) {
  MLIRContext *context = type.getContext();
  return llvm::TypeSwitch<Type, Type>(type)
      .Case<ir::PromptsType, ir::PairsType, ir::DemosType, ir::LabeledType,
            ir::RolloutsType, ir::TokenScoresType, ir::SeqScoresType,
            ir::PairScoresType, ir::AdvantagesType>([&](auto t) -> Type {
        return decltype(t)::get(context, batch, samples);
      })
      .Default([](Type t) { return t; });
}

/// The first batch-shaped value among `values`, or null.
Value firstShaped(ValueRange values) {
  int64_t batch = 0, samples = 0;
  for (Value value : values)
    if (ir::getBatchShape(value.getType(), batch, samples))
      return value;
  return nullptr;
}

/// Resizes the values of `step` after its batches and generates changed:
/// each result takes the batch (and samples) of its first shaped operand.
void propagateShapes(ir::StepOp step) {
  for (Operation &op : step.getBodyBlock()) {
    if (auto generate = llvm::dyn_cast<ir::GenerateOp>(op)) {
      generate.getRollouts().setType(ir::RolloutsType::get(
          op.getContext(), generate.getPrompts().getType().getBatch(),
          static_cast<int64_t>(generate.getN())));
      continue;
    }
    if (llvm::isa<ir::BatchOp>(op))
      continue;
    if (auto update = llvm::dyn_cast<ir::UpdateOp>(op)) {
      Value read = firstShaped(readValues(&op));
      int64_t batch = read ? ir::sequenceCount(read.getType()) : 0;
      int64_t oldBatch = static_cast<int64_t>(update.getBatch());
      if (batch == 0 || batch == oldBatch)
        continue;
      // Keep the number of optimiser steps per epoch where it divides.
      int64_t miniBatches =
          oldBatch / std::max<int64_t>(1, update.getMinibatch());
      int64_t minibatch =
          batch % miniBatches == 0 ? batch / miniBatches : batch;
      int64_t microbatch = std::min<int64_t>(update.getMicrobatch(), minibatch);
      while (minibatch % microbatch != 0)
        --microbatch;
      update.setBatch(batch);
      update.setMinibatch(minibatch);
      update.setMicrobatch(microbatch);
      continue;
    }
    Value source = firstShaped(op.getOperands());
    if (!source)
      continue;
    int64_t batch = 0, samples = 0;
    ir::getBatchShape(source.getType(), batch, samples);
    for (Value result : op.getResults()) {
      int64_t oldBatch = 0, oldSamples = 0;
      if (!ir::getBatchShape(result.getType(), oldBatch, oldSamples))
        continue;
      result.setType(
          withShape(result.getType(), batch, oldSamples == 0 ? 0 : samples));
    }
  }
}

void resizeStep(ir::StepOp step, const PlanSettings &settings) {
  if (settings.prompts) {
    // Prompt draws when the step samples, otherwise every draw.
    bool hasPrompts = false;
    for (auto batch : step.getBodyBlock().getOps<ir::BatchOp>())
      hasPrompts |= llvm::isa<ir::PromptsType>(batch.getType());
    for (auto batch : step.getBodyBlock().getOps<ir::BatchOp>()) {
      if (hasPrompts && !llvm::isa<ir::PromptsType>(batch.getType()))
        continue;
      batch.setSize(*settings.prompts);
      batch.getResult().setType(
          withShape(batch.getType(), *settings.prompts, 0));
    }
  }
  for (auto generate : step.getBodyBlock().getOps<ir::GenerateOp>()) {
    if (settings.samples && !generate.getGreedy())
      generate.setN(*settings.samples);
    if (settings.responseTokens)
      generate.setMaxTokens(*settings.responseTokens);
  }
  if (settings.prompts || settings.samples)
    propagateShapes(step);
}

void setArchitecture(ir::ModelOp model, const std::string &preset) {
  ModelArch arch = *findModelPreset(preset);
  model.setPreset(preset);
  model.setLayers(arch.layers);
  model.setHidden(arch.hidden);
  model.setFfn(arch.ffn);
  model.setHeads(arch.heads);
  model.setKvHeads(arch.kvHeads);
  model.setVocab(arch.vocab);
  model.setTieEmbeddings(arch.tieEmbeddings);
}

/// The preset each model takes: its own setting, else that of the model it
/// copies or starts from (followed up the chain).
std::map<std::string, std::string>
resolvePresets(ModuleOp module, const std::map<std::string, std::string> &set) {
  std::map<std::string, std::string> resolved;
  for (auto model : module.getOps<ir::ModelOp>()) {
    std::set<std::string> seen;
    for (ir::ModelOp current = model; current;) {
      std::string name = current.getSymName().str();
      if (!seen.insert(name).second)
        break;
      if (auto it = set.find(name); it != set.end()) {
        resolved[model.getSymName().str()] = it->second;
        break;
      }
      FlatSymbolRefAttr next = current.getSourceAttr()
                                   ? current.getSourceAttr()
                                   : current.getInitFromAttr();
      current = next ? module.lookupSymbol<ir::ModelOp>(next) : nullptr;
    }
  }
  return resolved;
}

} // namespace

std::vector<std::string> planSettingKeys() {
  std::vector<std::string> keys;
  for (const NumberKey &number : kNumberKeys)
    keys.push_back(number.key);
  keys.push_back("MODEL.model");
  keys.push_back("MODEL.preset");
  return keys;
}

bool parsePlanSettings(llvm::ArrayRef<std::string> items,
                       llvm::ArrayRef<std::string> models, PlanSettings &out,
                       std::vector<SettingError> &errors) {
  size_t before = errors.size();
  std::vector<std::string> known = planSettingKeys();
  std::vector<std::string> candidates;
  for (const NumberKey &number : kNumberKeys)
    candidates.push_back(number.key);
  for (const std::string &model : models) {
    candidates.push_back(model + ".model");
    candidates.push_back(model + ".preset");
  }
  for (const std::string &item : items) {
    size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      errors.push_back({"setting '" + item + "' is not key=value",
                        "write --set KEY=VALUE, e.g. --set prompts=1024; the "
                        "keys are: " +
                            joined(known)});
      continue;
    }
    std::string key = item.substr(0, equals);
    std::string value = item.substr(equals + 1);
    if (key.find('.') != std::string::npos) {
      parseModelKey(key, value, models, out, errors);
      continue;
    }
    auto number = llvm::find_if(
        kNumberKeys, [&](const NumberKey &entry) { return key == entry.key; });
    if (number == std::end(kNumberKeys)) {
      errors.push_back(
          {"unknown setting '" + key + "'",
           suggestion(key, candidates) + "the keys are: " + joined(known)});
      continue;
    }
    std::optional<int64_t> parsed = parsePositive(value);
    if (!parsed) {
      errors.push_back({"setting '" + key +
                            "' must be a whole number of at "
                            "least 1, got '" +
                            value + "'",
                        "e.g. --set " + key + "=" + number->example});
      continue;
    }
    out.*(number->member) = *parsed;
  }
  return errors.size() == before;
}

std::vector<std::string> modelNames(ModuleOp module) {
  std::vector<std::string> names;
  for (auto model : module.getOps<ir::ModelOp>())
    names.push_back(model.getSymName().str());
  return names;
}

LogicalResult applyPlanSettings(ModuleOp module, ir::StepOp step,
                                const PlanSettings &settings) {
  if (settings.presets.empty() && !settings.prompts && !settings.samples &&
      !settings.responseTokens)
    return success();
  for (auto &[model, preset] : resolvePresets(module, settings.presets))
    setArchitecture(module.lookupSymbol<ir::ModelOp>(model), preset);
  if (step)
    resizeStep(step, settings);
  // A program may not allow the sizes (grpo needs 2 samples or more); its
  // verifiers say why, at the op.
  return verify(module);
}

} // namespace rlg::analysis
