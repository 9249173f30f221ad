// Reading Hugging Face config.json files into the runtime's numbers.
#include "rlg/Spec/HfConfig.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace rlg {
namespace {

using nlohmann::json;

const char *kModelTypes = "supported model types: llama, qwen2, and mistral "
                          "with sliding_window null";
const char *kFullAttention =
    "the runtime attends over the whole sequence in every layer";

std::string render(const std::string &where, const std::string &problem,
                   const std::string &hint) {
  std::string out = where.empty() ? problem : where + ": " + problem;
  if (!hint.empty())
    out += "\n  hint: " + hint;
  return out;
}

/// A value as the file spells it, shortened for messages.
std::string shown(const json &value) {
  std::string text = value.dump();
  return text.size() > 48 ? text.substr(0, 45) + "..." : text;
}

std::string numberText(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Typed access to the keys of one JSON object; errors name the key (with
/// `prefix`, e.g. "rope_scaling.") and the file.
class Keys {
public:
  Keys(const json &object, std::string where, std::string prefix = "")
      : object(object), where(std::move(where)), prefix(std::move(prefix)) {}

  [[noreturn]] void fail(const std::string &problem,
                         const std::string &hint = "") const {
    throw HfConfigError(where, problem, hint);
  }
  std::string name(const std::string &key) const { return prefix + key; }

  /// The value of `key`, or nullptr when it is absent or null.
  const json *get(const std::string &key) const {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }
  [[noreturn]] void wrongType(const std::string &key,
                              const std::string &expected) const {
    fail(name(key) + " must be " + expected + ", got " + shown(*get(key)));
  }

  std::optional<int64_t> integer(const std::string &key) const {
    const json *value = get(key);
    if (!value)
      return std::nullopt;
    if (!value->is_number_integer())
      wrongType(key, "an integer");
    return value->get<int64_t>();
  }
  /// A required size: present, an integer, >= 1.
  int64_t size(const std::string &key) const {
    std::optional<int64_t> value = integer(key);
    if (!value)
      fail(name(key) + " is missing",
           "a Llama/Qwen2 config.json gives every size of the model");
    return positive(key, *value);
  }
  int64_t positive(const std::string &key, int64_t value) const {
    if (value < 1)
      fail(name(key) + " must be >= 1, got " + std::to_string(value));
    return value;
  }
  std::optional<double> number(const std::string &key) const {
    const json *value = get(key);
    if (!value)
      return std::nullopt;
    if (!value->is_number())
      wrongType(key, "a number");
    return value->get<double>();
  }
  /// A number > 0: `fallback` when absent, an error when `required`.
  double positiveNumber(const std::string &key, double fallback,
                        bool required = false) const {
    std::optional<double> value = number(key);
    if (!value && required)
      fail(name(key) + " is missing");
    if (value && !(*value > 0 && std::isfinite(*value)))
      fail(name(key) + " must be > 0, got " + numberText(*value));
    return value.value_or(fallback);
  }
  bool boolean(const std::string &key, bool fallback) const {
    const json *value = get(key);
    if (!value)
      return fallback;
    if (!value->is_boolean())
      wrongType(key, "true or false");
    return value->get<bool>();
  }
  std::optional<std::string> string(const std::string &key) const {
    const json *value = get(key);
    if (!value)
      return std::nullopt;
    if (!value->is_string())
      wrongType(key, "a string");
    return value->get<std::string>();
  }
  const json &raw() const { return object; }
  const std::string &file() const { return where; }

private:
  const json &object;
  std::string where;
  std::string prefix;
};

/// architectures[0] and the role its head gives.
void readArchitecture(const Keys &keys, HfModelConfig &out) {
  const json *list = keys.get("architectures");
  if (!list) {
    out.architecture = hfArchitectureName(out.modelType, "policy");
    out.role = "policy";
    return;
  }
  if (!list->is_array() || list->empty() || !(*list)[0].is_string())
    keys.wrongType("architectures", "a non-empty list of class names");
  out.architecture = (*list)[0].get<std::string>();
  if (endsWith(out.architecture, "ForCausalLM"))
    out.role = "policy";
  else if (endsWith(out.architecture, "ForSequenceClassification"))
    out.role = "reward";
  else if (endsWith(out.architecture, "ForTokenClassification"))
    out.role = "value";
  else
    keys.fail("architectures[0] \"" + out.architecture + "\" is not supported",
              "supported heads: *ForCausalLM (policy), "
              "*ForSequenceClassification (reward) and "
              "*ForTokenClassification (value), with num_labels 1");
  if (out.role == "policy")
    return;
  // transformers writes id2label rather than num_labels; its default is 2.
  int64_t labels = 2;
  if (std::optional<int64_t> n = keys.integer("num_labels"))
    labels = *n;
  else if (const json *names = keys.get("id2label")) {
    if (!names->is_object())
      keys.wrongType("id2label", "an object");
    labels = static_cast<int64_t>(names->size());
  }
  if (labels != 1)
    keys.fail("num_labels is " + std::to_string(labels) + ", but " +
                  out.architecture + " is read as a " + out.role +
                  " model, which needs 1",
              "the runtime's value and reward heads give one number per "
              "token");
}

void readSizes(const Keys &keys, HfModelConfig &out) {
  ModelArch &arch = out.arch;
  arch.hidden = keys.size("hidden_size");
  arch.ffn = keys.size("intermediate_size");
  arch.layers = keys.size("num_hidden_layers");
  arch.heads = keys.size("num_attention_heads");
  arch.vocab = keys.size("vocab_size");
  std::optional<int64_t> kv = keys.integer("num_key_value_heads");
  arch.kvHeads = kv ? keys.positive("num_key_value_heads", *kv) : arch.heads;
  if (arch.heads % arch.kvHeads != 0)
    keys.fail("num_attention_heads (" + std::to_string(arch.heads) +
                  ") is not divisible by num_key_value_heads (" +
                  std::to_string(arch.kvHeads) + ")",
              "each key/value head serves the same number of query heads");
  if (arch.hidden % arch.heads != 0)
    keys.fail("hidden_size (" + std::to_string(arch.hidden) +
                  ") is not divisible by num_attention_heads (" +
                  std::to_string(arch.heads) + ")",
              "the runtime's head size is hidden_size / num_attention_heads");
  int64_t headDim = arch.hidden / arch.heads;
  if (std::optional<int64_t> given = keys.integer("head_dim");
      given && *given != headDim)
    keys.fail("head_dim " + std::to_string(*given) +
                  " differs from hidden_size / num_attention_heads = " +
                  std::to_string(headDim),
              "the runtime's head size is hidden_size / num_attention_heads");
  if (headDim % 2 != 0)
    keys.fail("the head size hidden_size / num_attention_heads = " +
                  std::to_string(headDim) + " is odd",
              "rotary embeddings rotate pairs of dimensions");
  arch.tieEmbeddings = keys.boolean("tie_word_embeddings", false);
  int64_t defaultPositions = out.modelType == "qwen2"     ? 32768
                             : out.modelType == "mistral" ? 131072
                                                          : 2048;
  std::optional<int64_t> positions = keys.integer("max_position_embeddings");
  out.maxPositions = positions
                         ? keys.positive("max_position_embeddings", *positions)
                         : defaultPositions;
  out.rmsEps = keys.positiveNumber("rms_norm_eps", 1e-6);
}

/// Everything that would make transformers compute something else.
void readSwitches(const Keys &keys, HfModelConfig &out) {
  std::string act = keys.string("hidden_act").value_or("silu");
  if (act != "silu")
    keys.fail("hidden_act \"" + act + "\" is not supported",
              "the runtime's MLP is SwiGLU, silu(gate_proj(x)) * up_proj(x) "
              "(hidden_act \"silu\")");
  if (keys.get("quantization_config"))
    keys.fail("quantization_config is not supported",
              "the runtime reads unquantized float32, bfloat16 or float16 "
              "weights");
  if (std::optional<double> partial = keys.number("partial_rotary_factor");
      partial && *partial != 1.0)
    keys.fail("partial_rotary_factor " + numberText(*partial) +
                  " is not supported",
              "the runtime rotates every dimension of a head");
  if (out.modelType == "llama") {
    if (keys.boolean("attention_bias", false))
      keys.fail("attention_bias true is not supported",
                "Llama's attention_bias puts biases on q_proj, k_proj, "
                "v_proj and o_proj; the runtime has no o_proj bias (q/k/v "
                "biases alone are model_type qwen2)");
    if (keys.boolean("mlp_bias", false))
      keys.fail("mlp_bias true is not supported",
                "the runtime's MLP projections have no biases");
  } else if (out.modelType == "qwen2") {
    out.qkvBias = true;
    if (keys.boolean("use_sliding_window", false))
      keys.fail("use_sliding_window true is not supported", kFullAttention);
  } else if (const json *window = keys.get("sliding_window")) {
    keys.fail("sliding_window " + shown(*window) +
                  " is not supported for model_type mistral",
              std::string(kFullAttention) +
                  "; only Mistral configs with sliding_window null match it");
  }
  if (const json *types = keys.get("layer_types")) {
    if (!types->is_array())
      keys.wrongType("layer_types", "a list of strings");
    for (size_t i = 0; i < types->size(); ++i) {
      const json &type = (*types)[i];
      if (!type.is_string() || type.get<std::string>() != "full_attention")
        keys.fail("layer_types[" + std::to_string(i) + "] " + shown(type) +
                      " is not supported",
                  std::string(kFullAttention) + " (\"full_attention\")");
    }
  }
}

/// v4 rope_theta + rope_scaling, or v5 rope_parameters.
void readRope(const Keys &keys, HfModelConfig &out) {
  out.ropeTheta = keys.positiveNumber("rope_theta", 10000.0);
  std::string section = keys.get("rope_scaling")      ? "rope_scaling"
                        : keys.get("rope_parameters") ? "rope_parameters"
                                                      : "";
  if (section.empty())
    return;
  const json *params = keys.get(section);
  if (!params->is_object())
    keys.wrongType(section, "an object or null");
  // v5 may nest the parameters per layer type; every layer is full here.
  if (const auto it = params->find("full_attention");
      it != params->end() && it->is_object() && params->size() == 1) {
    params = &*it;
    section += ".full_attention";
  }
  Keys rope(*params, keys.file(), section + ".");
  std::string typeKey = rope.get("rope_type") ? "rope_type" : "type";
  std::string type = rope.string(typeKey).value_or("default");
  out.ropeTheta = rope.positiveNumber("rope_theta", out.ropeTheta);
  if (std::optional<double> partial = rope.number("partial_rotary_factor");
      partial && *partial != 1.0)
    rope.fail(rope.name("partial_rotary_factor") + " " + numberText(*partial) +
                  " is not supported",
              "the runtime rotates every dimension of a head");
  RopeScaling &scaling = out.ropeScaling;
  if (type == "default")
    return;
  if (type == "linear") {
    scaling.type = RopeScalingType::Linear;
    scaling.factor = rope.positiveNumber("factor", 1.0, true);
    return;
  }
  if (type == "llama3") {
    scaling.type = RopeScalingType::Llama3;
    scaling.factor = rope.positiveNumber("factor", 1.0, true);
    scaling.lowFreqFactor = rope.positiveNumber("low_freq_factor", 1.0, true);
    scaling.highFreqFactor = rope.positiveNumber("high_freq_factor", 4.0, true);
    if (!(scaling.highFreqFactor > scaling.lowFreqFactor))
      rope.fail(rope.name("high_freq_factor") + " (" +
                    numberText(scaling.highFreqFactor) +
                    ") must be greater than low_freq_factor (" +
                    numberText(scaling.lowFreqFactor) + ")",
                "llama3 scaling blends between the two wavelengths they "
                "give");
    // v5 falls back to max_position_embeddings, as here.
    std::optional<int64_t> original =
        rope.integer("original_max_position_embeddings");
    scaling.originalMaxPositions =
        original ? rope.positive("original_max_position_embeddings", *original)
                 : out.maxPositions;
    return;
  }
  rope.fail(rope.name(typeKey) + " \"" + type + "\" is not supported",
            "supported RoPE types: default, linear and llama3; dynamic, "
            "yarn, longrope and the others compute frequencies the runtime "
            "does not");
}

void readTokens(const Keys &keys, HfModelConfig &out) {
  out.bosTokenId = keys.integer("bos_token_id");
  out.padTokenId = keys.integer("pad_token_id");
  if (const json *eos = keys.get("eos_token_id")) {
    if (eos->is_number_integer()) {
      out.eosTokenIds.push_back(eos->get<int64_t>());
    } else if (eos->is_array()) {
      for (const json &id : *eos) {
        if (!id.is_number_integer())
          keys.wrongType("eos_token_id", "an integer or a list of integers");
        out.eosTokenIds.push_back(id.get<int64_t>());
      }
    } else {
      keys.wrongType("eos_token_id", "an integer or a list of integers");
    }
  }
  // v5 spells it dtype; a config with both keeps dtype, as v5 does.
  std::optional<std::string> dtype = keys.string("dtype");
  out.dtype = dtype ? *dtype : keys.string("torch_dtype").value_or("");
}

} // namespace

HfConfigError::HfConfigError(std::string where, std::string problem,
                             std::string hint)
    : std::runtime_error(render(where, problem, hint)),
      where_(std::move(where)), problem_(std::move(problem)),
      hint_(std::move(hint)) {}

std::string hfArchitectureName(const std::string &modelType,
                               const std::string &role) {
  std::string prefix = modelType == "llama"     ? "Llama"
                       : modelType == "qwen2"   ? "Qwen2"
                       : modelType == "mistral" ? "Mistral"
                                                : "";
  if (prefix.empty())
    throw HfConfigError("", "model_type \"" + modelType + "\" is not supported",
                        kModelTypes);
  if (role == "policy")
    return prefix + "ForCausalLM";
  if (role == "reward")
    return prefix + "ForSequenceClassification";
  if (role == "value")
    return prefix + "ForTokenClassification";
  throw HfConfigError("", "role \"" + role + "\" has no transformers class",
                      "roles: policy, reward, value");
}

HfModelConfig parseHfConfig(const json &config, const std::string &where) {
  if (!config.is_object())
    throw HfConfigError(where, "is not a JSON object",
                        "give the config.json of a Hugging Face checkpoint");
  Keys keys(config, where);
  HfModelConfig out;
  std::optional<std::string> type = keys.string("model_type");
  if (!type)
    keys.fail("model_type is missing", kModelTypes);
  if (*type != "llama" && *type != "qwen2" && *type != "mistral")
    keys.fail("model_type \"" + *type + "\" is not supported", kModelTypes);
  out.modelType = *type;
  readArchitecture(keys, out);
  readSizes(keys, out);
  readSwitches(keys, out);
  readRope(keys, out);
  readTokens(keys, out);
  return out;
}

HfModelConfig readHfConfig(const std::filesystem::path &dirOrFile) {
  std::filesystem::path file = std::filesystem::is_directory(dirOrFile)
                                   ? dirOrFile / "config.json"
                                   : dirOrFile;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw HfConfigError(file.string(), "cannot be read",
                        "give a Hugging Face checkpoint folder (with "
                        "config.json) or its config.json");
  std::stringstream text;
  text << in.rdbuf();
  json config;
  try {
    config = json::parse(text.str());
  } catch (const json::exception &e) {
    throw HfConfigError(file.string(), std::string("is not JSON: ") + e.what());
  }
  return parseHfConfig(config, file.string());
}

} // namespace rlg
