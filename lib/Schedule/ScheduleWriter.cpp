// Writing a schedule as pretty-printed JSON in the documented key order.
#include "JsonFields.h"
#include "rlg/Schedule/ScheduleIO.h"

namespace rlg::schedule {
namespace {

Json archJson(const ModelArch &arch) {
  Json out = Json::object();
  out["layers"] = arch.layers;
  out["hidden"] = arch.hidden;
  out["ffn"] = arch.ffn;
  out["heads"] = arch.heads;
  out["kv_heads"] = arch.kvHeads;
  out["vocab"] = arch.vocab;
  out["tie_embeddings"] = arch.tieEmbeddings;
  return out;
}

Json modelJson(const Model &model) {
  Json out = Json::object();
  out["name"] = model.name;
  out["role"] = model.role;
  out["frozen"] = model.frozen;
  if (!model.frozenFrom.empty())
    out["frozen_from"] = model.frozenFrom;
  if (!model.initFrom.empty())
    out["init_from"] = model.initFrom;
  if (!model.init.empty())
    out["init"] = model.init;
  if (!model.hf.empty())
    out["hf"] = model.hf;
  if (!model.preset.empty())
    out["preset"] = model.preset;
  out["arch"] = archJson(model.arch);
  out["trainable"] = model.trainable;
  if (const std::optional<Optimizer> &opt = model.optimizer) {
    Json optimizer = Json::object();
    optimizer["kind"] = opt->kind;
    optimizer["lr"] = opt->lr;
    optimizer["warmup"] = opt->warmup;
    optimizer["weight_decay"] = opt->weightDecay;
    optimizer["grad_clip"] = opt->gradClip;
    optimizer["lr_schedule"] = opt->lrSchedule;
    out["optimizer"] = optimizer;
  }
  return out;
}

Json dataJson(const DataSource &data) {
  Json source = Json::object();
  if (!data.task.empty() || data.jsonlPath.empty()) {
    source["task"] = data.task;
    source["args"] = attrObjectToJson(data.taskArgs);
  }
  if (!data.jsonlPath.empty()) {
    source["jsonl"] = data.jsonlPath;
    source["fields"] = data.fields;
  }
  Json out = Json::object();
  out["name"] = data.name;
  out["kind"] = data.kind;
  out["source"] = source;
  return out;
}

Json rewardExprJson(const RewardExpr &expr) {
  Json out = Json::object();
  switch (expr.kind) {
  case RewardExpr::Kind::Rule:
    out["kind"] = "rule";
    out["rule"] = expr.rule;
    out["args"] = attrObjectToJson(expr.args);
    break;
  case RewardExpr::Kind::Score:
    out["kind"] = "score";
    out["model"] = expr.model;
    break;
  case RewardExpr::Kind::Sum: {
    out["kind"] = "sum";
    Json terms = Json::array();
    for (const RewardTerm &term : expr.terms)
      terms.push_back(
          Json{{"weight", term.weight}, {"expr", rewardExprJson(term.expr)}});
    out["terms"] = terms;
    break;
  }
  }
  return out;
}

Json layoutJson(const Layout &layout) {
  Json out = Json::object();
  out["dp"] = layout.dp;
  out["tp"] = layout.tp;
  out["pp"] = layout.pp;
  out["zero"] = layout.zero;
  out["microbatch"] = layout.microbatch;
  out["checkpointing"] = layout.checkpointing;
  out["offload"] = layout.offload;
  return out;
}

Json opJson(const Op &op) {
  Json out = Json::object();
  out["id"] = op.id;
  out["kind"] = opKindName(op.kind);
  if (!op.model.empty())
    out["model"] = op.model;
  out["inputs"] = op.inputs;
  Json outputs = Json::array();
  for (const TypedValue &value : op.outputs)
    outputs.push_back(Json{{"name", value.name}, {"type", value.type}});
  out["outputs"] = outputs;
  out["attrs"] = attrObjectToJson(op.attrs);
  out["mesh"] = op.mesh;
  out["layout"] = layoutJson(op.layout);
  out["deps"] = op.deps;
  if (!op.loc.empty())
    out["loc"] = op.loc;
  return out;
}

Json stepJson(const Step &step) {
  Json ops = Json::array();
  for (const Op &op : step.ops)
    ops.push_back(opJson(op));
  Json instructions = Json::object();
  for (const auto &[rank, ids] : step.instructions)
    instructions[std::to_string(rank)] = ids;
  return Json{
      {"name", step.name}, {"ops", ops}, {"instructions", instructions}};
}

Json runJson(const RunSettings &run) {
  Json stages = Json::array();
  for (const Stage &stage : run.stages)
    stages.push_back(Json{{"step", stage.step}, {"steps", stage.steps}});
  Json eval = Json::array();
  for (const EvalSetting &e : run.eval) {
    Json entry = Json{{"data", e.data},
                      {"model", e.model},
                      {"every", e.every},
                      {"k", e.k},
                      {"temperature", e.temperature}};
    if (e.maxTokens > 0)
      entry["max_tokens"] = e.maxTokens;
    eval.push_back(entry);
  }
  Json out = Json::object();
  out["stages"] = stages;
  out["seed"] = run.seed;
  out["eval"] = eval;
  if (run.checkpoint)
    out["checkpoint"] =
        Json{{"every", run.checkpoint->every}, {"dir", run.checkpoint->dir}};
  out["overlap"] = Json{{"kind", run.overlap.kind},
                        {"staleness", run.overlap.staleness},
                        {"chunks", run.overlap.chunks}};
  return out;
}

Json predictionsJson(const Predictions &predictions) {
  Json steps = Json::array();
  for (const StepPrediction &step : predictions.steps)
    steps.push_back(Json{{"step", step.step},
                         {"step_time_s", step.stepTimeS},
                         {"op_time_s", step.opTimeS}});
  Json memory = Json::object();
  for (const auto &[rank, phases] : predictions.memoryBytes)
    memory[std::to_string(rank)] = phases;
  return Json{{"steps", steps}, {"memory_bytes", memory}};
}

} // namespace

std::string writeScheduleJson(const Schedule &schedule) {
  Json doc = Json::object();
  doc["format"] = kFormatName;
  doc["version"] = std::to_string(schedule.version.major) + "." +
                   std::to_string(schedule.version.minor);
  doc["program"] = Json{{"source", schedule.program.source},
                        {"name", schedule.program.name}};
  Json meshes = Json::object();
  for (const auto &[id, ranks] : schedule.cluster.meshes)
    meshes[id] = ranks;
  doc["cluster"] =
      Json{{"devices", Json{{"count", schedule.cluster.deviceCount},
                            {"kind", schedule.cluster.deviceKind}}},
           {"meshes", meshes}};
  doc["models"] = Json::array();
  for (const Model &model : schedule.models)
    doc["models"].push_back(modelJson(model));
  doc["data"] = Json::array();
  for (const DataSource &data : schedule.data)
    doc["data"].push_back(dataJson(data));
  doc["rewards"] = Json::array();
  for (const Reward &reward : schedule.rewards)
    doc["rewards"].push_back(
        Json{{"name", reward.name}, {"expr", rewardExprJson(reward.expr)}});
  if (!schedule.precompute.empty()) {
    doc["precompute"] = Json::array();
    for (const PrecomputeTable &table : schedule.precompute)
      doc["precompute"].push_back(Json{{"name", table.name},
                                       {"model", table.model},
                                       {"call", table.call},
                                       {"data", table.data},
                                       {"demos", table.demos}});
  }
  doc["steps"] = Json::array();
  for (const Step &step : schedule.steps)
    doc["steps"].push_back(stepJson(step));
  doc["run"] = runJson(schedule.run);
  if (schedule.predictions)
    doc["predictions"] = predictionsJson(*schedule.predictions);
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace rlg::schedule
