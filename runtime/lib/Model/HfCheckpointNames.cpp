// Hugging Face weight names both ways, and the weights a model needs.
#include "HfCheckpointInternal.h"
#include "rlg/Runtime/Model/HfCheckpoint.h"

#include <stdexcept>

namespace rlg::runtime {
namespace {

const std::string kBodyPrefix = "model.";

bool startsWith(const std::string &text, const std::string &prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

/// A head's name (ours or Hugging Face's), which never takes model.
bool isHeadName(const std::string &name) {
  return startsWith(name, "lm_head.") || startsWith(name, "value_head.") ||
         startsWith(name, "score.");
}

} // namespace

namespace hf_detail {

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string WeightMismatches::describe() const {
  const size_t shown = 5;
  std::string out;
  auto list = [&](const char *kind, const std::vector<std::string> &names) {
    if (names.empty())
      return;
    out += std::string("\n  ") + kind + " (" + std::to_string(names.size()) +
           "): ";
    for (size_t i = 0; i < names.size() && i < shown; ++i)
      out += (i ? "; " : "") + names[i];
    if (names.size() > shown)
      out += "; and " + std::to_string(names.size() - shown) + " more";
  };
  list("missing", missing);
  list("unexpected", unexpected);
  list("wrong shape", misshapen);
  list("not a float dtype", notFloat);
  return out;
}

} // namespace hf_detail

std::string hfNameOf(const std::string &ourName, ModelRole role) {
  auto refuse = [&]() -> std::string {
    throw std::invalid_argument("hfNameOf: a " +
                                std::string(modelRoleName(role)) +
                                " model has no weight '" + ourName + "'");
  };
  if (ourName == "lm_head.weight")
    return role == ModelRole::Policy ? ourName : refuse();
  if (ourName == "value_head.weight" || ourName == "value_head.bias")
    return role != ModelRole::Policy
               ? "score." + ourName.substr(std::string("value_head.").size())
               : refuse();
  if (ourName.empty() || isHeadName(ourName))
    return refuse();
  return kBodyPrefix + ourName;
}

std::optional<std::string> ourNameOf(const std::string &hfName,
                                     ModelRole role) {
  if (hfName == "lm_head.weight")
    return role == ModelRole::Policy ? std::optional(hfName) : std::nullopt;
  if (hfName == "score.weight" || hfName == "score.bias") {
    if (role == ModelRole::Policy)
      return std::nullopt;
    return "value_head." + hfName.substr(std::string("score.").size());
  }
  if (!startsWith(hfName, kBodyPrefix))
    return std::nullopt;
  std::string rest = hfName.substr(kBodyPrefix.size());
  if (rest.empty() || isHeadName(rest))
    return std::nullopt;
  return rest;
}

std::vector<std::pair<std::string, std::vector<int64_t>>>
expectedWeightShapes(const ModelSpec &spec, ModelRole role) {
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  int64_t hidden = spec.hidden, ffn = spec.ffn;
  int64_t queries = spec.heads * spec.headDim();
  int64_t keys = spec.kvHeads * spec.headDim();
  out.push_back({"embed_tokens.weight", {spec.vocab, hidden}});
  for (int64_t i = 0; i < spec.layers; ++i) {
    std::string layer = "layers." + std::to_string(i) + ".";
    std::string attention = layer + "self_attn.";
    out.push_back({layer + "input_layernorm.weight", {hidden}});
    for (auto [name, width] : {std::pair<const char *, int64_t>{"q", queries},
                               {"k", keys},
                               {"v", keys}}) {
      std::string proj = attention + name + "_proj.";
      out.push_back({proj + "weight", {width, hidden}});
      if (spec.qkvBias)
        out.push_back({proj + "bias", {width}});
    }
    out.push_back({attention + "o_proj.weight", {hidden, queries}});
    out.push_back({layer + "post_attention_layernorm.weight", {hidden}});
    out.push_back({layer + "mlp.gate_proj.weight", {ffn, hidden}});
    out.push_back({layer + "mlp.up_proj.weight", {ffn, hidden}});
    out.push_back({layer + "mlp.down_proj.weight", {hidden, ffn}});
  }
  out.push_back({"norm.weight", {hidden}});
  if (role == ModelRole::Policy) {
    if (!spec.tieEmbeddings)
      out.push_back({"lm_head.weight", {spec.vocab, hidden}});
  } else {
    out.push_back({"value_head.weight", {1, hidden}});
    out.push_back({"value_head.bias", {1}});
  }
  return out;
}

} // namespace rlg::runtime
