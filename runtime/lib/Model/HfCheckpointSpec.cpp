// The runtime's decoder spec from a Hugging Face config, and back.
#include "rlg/Runtime/Model/HfCheckpoint.h"

namespace rlg::runtime {

ModelSpec modelSpecFromHfConfig(const HfModelConfig &config) {
  ModelSpec spec = modelSpecFromArch(config.arch);
  spec.ropeTheta = config.ropeTheta;
  spec.qkvBias = config.qkvBias;
  spec.rmsEps = config.rmsEps;
  spec.maxPositions = config.maxPositions;
  spec.ropeScaling = config.ropeScaling;
  spec.validate();
  return spec;
}

HfModelConfig hfConfigFromSpec(const ModelSpec &spec, ModelRole role,
                               const std::string &modelType) {
  HfModelConfig config;
  config.arch.layers = spec.layers;
  config.arch.hidden = spec.hidden;
  config.arch.ffn = spec.ffn;
  config.arch.heads = spec.heads;
  config.arch.kvHeads = spec.kvHeads;
  config.arch.vocab = spec.vocab;
  config.arch.tieEmbeddings = spec.tieEmbeddings;
  config.ropeTheta = spec.ropeTheta;
  config.rmsEps = spec.rmsEps;
  config.qkvBias = spec.qkvBias;
  config.maxPositions = spec.maxPositions;
  config.ropeScaling = spec.ropeScaling;
  config.modelType = modelType;
  config.role = modelRoleName(role);
  config.architecture = hfArchitectureName(modelType, config.role);
  return config;
}

} // namespace rlg::runtime
