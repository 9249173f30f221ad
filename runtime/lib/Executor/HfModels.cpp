// Models a program starts from Hugging Face checkpoint folders.
#include "rlg/Runtime/Executor/HfModels.h"

#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Executor/RunContext.h"
#include "rlg/Runtime/Model/HfCheckpoint.h"
#include "rlg/Spec/HfConfig.h"

namespace rlg::runtime {
namespace {

namespace fs = std::filesystem;

std::string prefix(const schedule::Model &decl) {
  return "model '" + decl.name + "' (hf = \"" + decl.hf + "\"): ";
}

HfModelConfig readConfig(const schedule::Model &decl) {
  try {
    return readHfConfig(decl.hf);
  } catch (const HfConfigError &e) {
    throw RunError(prefix(decl) + e.where() + ": " + e.problem(), e.hint());
  }
}

std::string archText(const ModelArch &a) {
  return std::to_string(a.layers) + " layers, hidden " +
         std::to_string(a.hidden) + ", ffn " + std::to_string(a.ffn) + ", " +
         std::to_string(a.heads) + "/" + std::to_string(a.kvHeads) +
         " heads, vocabulary " + std::to_string(a.vocab) +
         (a.tieEmbeddings ? ", tied" : "");
}

} // namespace

ModelSpec hfModelSpec(const schedule::Model &decl) {
  HfModelConfig config = readConfig(decl);
  const ModelArch &a = config.arch, &b = decl.arch;
  if (a.layers != b.layers || a.hidden != b.hidden || a.ffn != b.ffn ||
      a.heads != b.heads || a.kvHeads != b.kvHeads || a.vocab != b.vocab ||
      a.tieEmbeddings != b.tieEmbeddings)
    throw RunError(prefix(decl) + "config.json describes " + archText(a) +
                       ", but the schedule was planned for " + archText(b),
                   "the checkpoint changed after the program was compiled: "
                   "compile (or plan) it again");
  try {
    return modelSpecFromHfConfig(config);
  } catch (const std::invalid_argument &e) {
    throw RunError(prefix(decl) + e.what());
  }
}

void loadHfModelWeights(const schedule::Model &decl, ModelImpl &model) {
  HfModelConfig config = readConfig(decl);
  ModelRole role = model.role();
  // A value or reward model may start from a causal LM: the body is read,
  // the LM head left, and the model keeps its fresh head.
  bool freshHead = role != ModelRole::Policy && config.role == "policy";
  std::map<std::string, at::Tensor> weights;
  try {
    weights = readHfWeights(decl.hf, model.spec(),
                            freshHead ? ModelRole::Policy : role);
  } catch (const CheckpointError &e) {
    throw RunError(prefix(decl) + e.file().string() + ": " + e.problem(),
                   e.hint());
  }
  if (freshHead) {
    weights.erase("lm_head.weight");
    // The head's whole weights: this model's own (a value head is never
    // split over tensor-parallel ranks).
    for (const auto &item : model.named_parameters())
      if (item.key().rfind("value_head.", 0) == 0)
        weights[item.key()] = item.value().detach().to(at::kCPU);
  }
  try {
    loadFullWeights(model, weights);
  } catch (const std::invalid_argument &e) {
    throw RunError(prefix(decl) + e.what());
  }
}

void saveHfModelFolder(const schedule::Model &decl, const ModelSpec &spec,
                       ModelRole role,
                       const std::map<std::string, at::Tensor> &weights,
                       const fs::path &dir) {
  HfModelConfig source = readConfig(decl);
  at::ScalarType dtype = at::kFloat;
  if (source.dtype == "bfloat16")
    dtype = at::kBFloat16;
  else if (source.dtype == "float16")
    dtype = at::kHalf;
  std::vector<fs::path> copies;
  for (const char *name : {"tokenizer.json", "tokenizer_config.json",
                           "special_tokens_map.json", "generation_config.json",
                           "vocab.json", "merges.txt", "chat_template.jinja"})
    if (fs::exists(fs::path(decl.hf) / name))
      copies.push_back(fs::path(decl.hf) / name);
  try {
    HfModelConfig config = hfConfigFromSpec(spec, role, source.modelType);
    config.bosTokenId = source.bosTokenId;
    config.eosTokenIds = source.eosTokenIds;
    config.padTokenId = source.padTokenId;
    saveHfCheckpoint(dir, config, weights, dtype, kDefaultHfShardBytes, copies);
  } catch (const CheckpointError &e) {
    throw RunError(prefix(decl) + "saving " + dir.string() + ": " + e.problem(),
                   e.hint());
  } catch (const HfConfigError &e) {
    throw RunError(prefix(decl) + "saving " + dir.string() + ": " + e.problem(),
                   e.hint());
  }
}

} // namespace rlg::runtime
