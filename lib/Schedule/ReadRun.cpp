// Reading a schedule's run settings and the planner's predictions.
#include "ReadParts.h"

namespace rlg::schedule {
namespace {

void readStage(const Json &value, const std::string &path, ReadContext &ctx,
               Stage &out) {
  FieldReader fields(value, path, ctx);
  fields.string("step", out.step);
  fields.integer("steps", out.steps);
  fields.finish();
}

void readEval(const Json &value, const std::string &path, ReadContext &ctx,
              EvalSetting &out) {
  FieldReader fields(value, path, ctx);
  fields.string("data", out.data);
  fields.string("model", out.model);
  fields.integer("every", out.every);
  fields.integer("k", out.k, false);
  fields.number("temperature", out.temperature, false);
  fields.integer("max_tokens", out.maxTokens, false);
  fields.finish();
}

void readStepPrediction(const Json &value, const std::string &path,
                        ReadContext &ctx, StepPrediction &out) {
  FieldReader fields(value, path, ctx);
  fields.string("step", out.step);
  fields.number("step_time_s", out.stepTimeS);
  if (const Json *times = fields.object("op_time_s")) {
    for (const auto &[op, seconds] : times->items()) {
      double value = 0;
      readDouble(seconds, fieldPath(fields.pathOf("op_time_s"), op), ctx,
                 value);
      out.opTimeS[op] = value;
    }
  }
  fields.finish();
}

} // namespace

void readRun(const Json &value, ReadContext &ctx, RunSettings &out) {
  FieldReader fields(value, "run", ctx);
  if (const Json *stages = fields.array("stages"))
    readArray(*stages, fields.pathOf("stages"), ctx, out.stages,
              [&](const Json &item, const std::string &path, Stage &stage) {
                readStage(item, path, ctx, stage);
              });
  fields.integer("seed", out.seed, false);
  if (const Json *eval = fields.array("eval", false))
    readArray(
        *eval, fields.pathOf("eval"), ctx, out.eval,
        [&](const Json &item, const std::string &path, EvalSetting &setting) {
          readEval(item, path, ctx, setting);
        });
  if (const Json *checkpoint = fields.object("checkpoint", false)) {
    out.checkpoint.emplace();
    FieldReader checkpointFields(*checkpoint, fields.pathOf("checkpoint"), ctx);
    checkpointFields.integer("every", out.checkpoint->every);
    checkpointFields.string("dir", out.checkpoint->dir, false);
    checkpointFields.finish();
  }
  if (const Json *overlap = fields.object("overlap", false)) {
    FieldReader overlapFields(*overlap, fields.pathOf("overlap"), ctx);
    overlapFields.string("kind", out.overlap.kind);
    overlapFields.integer("staleness", out.overlap.staleness, false);
    overlapFields.integer("chunks", out.overlap.chunks, false);
    overlapFields.finish();
  }
  fields.finish();
}

void readPredictions(const Json &value, ReadContext &ctx, Predictions &out) {
  FieldReader fields(value, "predictions", ctx);
  if (const Json *steps = fields.array("steps"))
    readArray(
        *steps, fields.pathOf("steps"), ctx, out.steps,
        [&](const Json &item, const std::string &path, StepPrediction &step) {
          readStepPrediction(item, path, ctx, step);
        });
  if (const Json *memory = fields.object("memory_bytes")) {
    for (const auto &[key, phases] : memory->items()) {
      std::string rankPath = fieldPath(fields.pathOf("memory_bytes"), key);
      int64_t rank = 0;
      if (!readRankKey(key, rankPath, ctx, rank))
        continue;
      if (!phases.is_object()) {
        addScheduleError(ctx.errors, rankPath,
                         "expected an object, got " + jsonTypeName(phases));
        continue;
      }
      std::map<std::string, int64_t> &perPhase = out.memoryBytes[rank];
      for (const auto &[phase, bytes] : phases.items())
        readInt(bytes, fieldPath(rankPath, phase), ctx, perPhase[phase]);
    }
  }
  fields.finish();
}

} // namespace rlg::schedule
