// Reading the weights of a Hugging Face checkpoint under the runtime's names.
#include "HfCheckpointInternal.h"
#include "rlg/Runtime/Checkpoint/CheckpointError.h"
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Model/HfCheckpoint.h"

#include <set>

namespace rlg::runtime {
namespace {

using hf_detail::shapeText;

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string describeSpec(const ModelSpec &spec, ModelRole role) {
  return std::string("a ") + modelRoleName(role) + " model with " +
         std::to_string(spec.layers) + " layers, hidden " +
         std::to_string(spec.hidden) + ", ffn " + std::to_string(spec.ffn) +
         ", " + std::to_string(spec.heads) + "/" +
         std::to_string(spec.kvHeads) + " heads, vocab " +
         std::to_string(spec.vocab) + (spec.qkvBias ? ", q/k/v biases" : "") +
         (spec.tieEmbeddings ? ", tied embeddings" : "");
}

} // namespace

std::map<std::string, at::Tensor>
readHfWeights(const std::filesystem::path &dir, const ModelSpec &spec,
              ModelRole role) {
  spec.validate();
  std::map<std::string, at::Tensor> stored = readSafetensorsCheckpoint(dir);
  auto inOrder = expectedWeightShapes(spec, role);
  std::map<std::string, std::vector<int64_t>> expected(inOrder.begin(),
                                                       inOrder.end());

  hf_detail::WeightMismatches bad;
  std::map<std::string, at::Tensor> found; // by our names
  std::set<std::string> seen;              // our names, whatever their shape
  for (const auto &[hfName, tensor] : stored) {
    if (endsWith(hfName, "rotary_emb.inv_freq"))
      continue; // a buffer older transformers versions saved
    std::optional<std::string> ours = ourNameOf(hfName, role);
    bool tiedHead = ours && *ours == "lm_head.weight" &&
                    role == ModelRole::Policy && spec.tieEmbeddings;
    if (tiedHead)
      continue; // a tied model's head is embed_tokens
    std::vector<int64_t> shape = tensor.sizes().vec();
    auto it = ours ? expected.find(*ours) : expected.end();
    if (it == expected.end()) {
      bad.unexpected.push_back(hfName + " " + shapeText(shape));
      continue;
    }
    seen.insert(*ours);
    if (shape != it->second) {
      bad.misshapen.push_back(hfName + ": expected " + shapeText(it->second) +
                              ", found " + shapeText(shape));
      continue;
    }
    if (!at::isFloatingType(tensor.scalar_type())) {
      bad.notFloat.push_back(hfName + " (" +
                             safetensorsDtype(tensor.scalar_type()) + ")");
      continue;
    }
    found[*ours] = tensor;
  }
  for (const auto &[name, shape] : inOrder) {
    if (seen.count(name))
      continue;
    // transformers' sequence classifiers (and v5 token classifiers with
    // token_classification_bias false) have no score.bias.
    if (name == "value_head.bias") {
      found[name] = at::zeros(shape, at::kFloat);
      continue;
    }
    bad.missing.push_back(hfNameOf(name, role) + " " + shapeText(shape));
  }
  if (!bad.empty())
    throw CheckpointError(
        dir,
        "the weights do not match " + describeSpec(spec, role) + ":" +
            bad.describe(),
        "the checkpoint's config.json and its weights must describe the same "
        "model; a policy needs a *ForCausalLM checkpoint, a reward model a "
        "*ForSequenceClassification one, a value model a "
        "*ForTokenClassification one");

  std::map<std::string, at::Tensor> weights;
  for (auto &[name, tensor] : found)
    weights[name] =
        tensor.to(at::kFloat, /*non_blocking=*/false, /*copy=*/true);
  return weights;
}

HfModel loadHfModel(const std::filesystem::path &dir) {
  HfModel out;
  out.config = readHfConfig(dir);
  out.spec = modelSpecFromHfConfig(out.config);
  out.role = parseModelRole(out.config.role);
  std::map<std::string, at::Tensor> weights =
      readHfWeights(dir, out.spec, out.role);
  out.model = Model(out.spec, out.role);
  loadFullWeights(*out.model, weights);
  out.model->eval();
  return out;
}

} // namespace rlg::runtime
