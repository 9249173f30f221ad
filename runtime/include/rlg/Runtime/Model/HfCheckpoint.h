// Hugging Face checkpoint folders of Llama, Qwen2 and Mistral decoders: the
// spec a config.json gives, weight names both ways, reading and saving.
#pragma once

#include "rlg/Runtime/Model/Model.h"
#include "rlg/Runtime/Model/ModelSpec.h"
#include "rlg/Spec/HfConfig.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rlg::runtime {

/// The decoder a config describes (sizes, theta, q/k/v biases, eps, max
/// positions, RoPE scaling). Throws std::invalid_argument when the spec
/// breaks ModelSpec::validate.
ModelSpec modelSpecFromHfConfig(const HfModelConfig &config);

/// The config that describes `spec` as `modelType` ("llama", "qwen2" or
/// "mistral") with `role`'s head; no token ids and no dtype. Throws
/// HfConfigError for another model type.
HfModelConfig hfConfigFromSpec(const ModelSpec &spec, ModelRole role,
                               const std::string &modelType);

/// The Hugging Face name of one of the runtime's (whole) weights:
///   embed_tokens.weight, layers.N.*, norm.weight -> model.<same>
///   lm_head.weight (policy)                     -> lm_head.weight
///   value_head.weight / .bias (value, reward)   -> score.weight / .bias
/// Throws std::invalid_argument for a head the role does not have.
std::string hfNameOf(const std::string &ourName, ModelRole role);

/// The runtime's name of a Hugging Face weight (the reverse of hfNameOf),
/// or nullopt for a name that is not one of `role`'s (another head, no
/// model. prefix, ...).
std::optional<std::string> ourNameOf(const std::string &hfName, ModelRole role);

/// Every weight of an unsplit model of `spec` and `role`, by the runtime's
/// names, with its shape, in the model's parameter order.
std::vector<std::pair<std::string, std::vector<int64_t>>>
expectedWeightShapes(const ModelSpec &spec, ModelRole role);

/// The weights of the checkpoint at `dir` (model.safetensors, the shards of
/// model.safetensors.index.json, or a .safetensors file) under the
/// runtime's names, whole, as float32 CPU tensors that own their memory.
/// Every weight expected for `spec` and `role` must be present with its
/// shape and a float dtype. Ignored: rotary inv_freq buffers, and
/// lm_head.weight of a tied policy. A reward checkpoint without score.bias
/// (transformers' sequence classifiers have none) gets a zero bias. Throws
/// CheckpointError listing the first missing, unexpected and misshapen
/// weights (name, expected and found shapes) before returning anything, and
/// for damaged files.
std::map<std::string, at::Tensor>
readHfWeights(const std::filesystem::path &dir, const ModelSpec &spec,
              ModelRole role);

/// A Hugging Face checkpoint read into a new model.
struct HfModel {
  HfModelConfig config;
  ModelSpec spec;
  ModelRole role = ModelRole::Policy;
  Model model{nullptr};
};

/// Reads `dir`'s config.json and weights into a new float32 CPU model of
/// the config's role. Throws HfConfigError, CheckpointError.
HfModel loadHfModel(const std::filesystem::path &dir);

/// The largest shard saveHfCheckpoint writes by default (transformers'
/// own default is 5 GB as well).
constexpr int64_t kDefaultHfShardBytes = 5'000'000'000;

/// Writes a Hugging Face checkpoint folder that transformers loads as it
/// is: config.json (hfConfigJson of `config`, torch_dtype set to `dtype`),
/// generation_config.json when a bos or eos id is known, and the weights
/// (`weights` by the runtime's names, whole; any device) converted to
/// `dtype` (kFloat, kBFloat16 or kHalf) under their Hugging Face names:
/// model.safetensors, or model-0000k-of-0000n.safetensors shards of at most
/// `maxShardBytes` each (a bigger tensor gets a shard of its own) with
/// model.safetensors.index.json. Tied policies write no lm_head.weight. A
/// reward model's score.bias is written only when it is nonzero
/// (transformers' sequence classifiers have no bias: they load the folder
/// with an "unused weights" warning and drop it). `copyFiles` (tokenizer
/// files, a chat template, ...) are copied in; a copied
/// generation_config.json replaces the written one. Everything is written
/// into a temporary sibling folder first, and `dir` (replaced when it
/// exists) only changes once that is complete. Throws CheckpointError
/// before writing anything when a weight is missing, misshapen or
/// unexpected, HfConfigError for a config transformers cannot express.
void saveHfCheckpoint(const std::filesystem::path &dir,
                      const HfModelConfig &config,
                      const std::map<std::string, at::Tensor> &weights,
                      at::ScalarType dtype,
                      int64_t maxShardBytes = kDefaultHfShardBytes,
                      const std::vector<std::filesystem::path> &copyFiles = {});

/// saveHfCheckpoint with the config of hfConfigFromSpec(spec, role,
/// modelType).
void saveHfCheckpoint(const std::filesystem::path &dir, const ModelSpec &spec,
                      ModelRole role, const std::string &modelType,
                      const std::map<std::string, at::Tensor> &weights,
                      at::ScalarType dtype,
                      int64_t maxShardBytes = kDefaultHfShardBytes,
                      const std::vector<std::filesystem::path> &copyFiles = {});

} // namespace rlg::runtime
