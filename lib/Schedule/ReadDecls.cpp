// Reading a schedule's program, cluster, models, data and rewards.
#include "ReadParts.h"

namespace rlg::schedule {

void readProgram(const Json &value, ReadContext &ctx, ProgramInfo &out) {
  FieldReader fields(value, "program", ctx);
  fields.string("source", out.source);
  fields.string("name", out.name);
  fields.finish();
}

void readCluster(const Json &value, ReadContext &ctx, Cluster &out) {
  FieldReader fields(value, "cluster", ctx);
  if (const Json *devices = fields.object("devices")) {
    FieldReader deviceFields(*devices, fields.pathOf("devices"), ctx);
    deviceFields.integer("count", out.deviceCount);
    deviceFields.string("kind", out.deviceKind);
    deviceFields.finish();
  }
  if (const Json *meshes = fields.object("meshes")) {
    for (const auto &[id, ranks] : meshes->items()) {
      std::vector<int64_t> list;
      readIntList(ranks, fieldPath(fields.pathOf("meshes"), id), ctx, list);
      out.meshes[id] = std::move(list);
    }
  }
  fields.finish();
}

namespace {

void readArch(const Json &value, const std::string &path, ReadContext &ctx,
              ModelArch &out) {
  FieldReader fields(value, path, ctx);
  fields.integer("layers", out.layers);
  fields.integer("hidden", out.hidden);
  fields.integer("ffn", out.ffn);
  fields.integer("heads", out.heads);
  fields.integer("kv_heads", out.kvHeads);
  fields.integer("vocab", out.vocab);
  fields.boolean("tie_embeddings", out.tieEmbeddings);
  fields.finish();
}

void readOptimizer(const Json &value, const std::string &path, ReadContext &ctx,
                   Optimizer &out) {
  FieldReader fields(value, path, ctx);
  fields.string("kind", out.kind);
  fields.number("lr", out.lr);
  fields.integer("warmup", out.warmup, false);
  fields.number("weight_decay", out.weightDecay, false);
  fields.number("grad_clip", out.gradClip, false);
  fields.string("lr_schedule", out.lrSchedule, false);
  fields.finish();
}

void readModel(const Json &value, const std::string &path, ReadContext &ctx,
               Model &out) {
  FieldReader fields(value, path, ctx);
  fields.string("name", out.name);
  fields.string("role", out.role);
  fields.boolean("frozen", out.frozen, false);
  fields.string("frozen_from", out.frozenFrom, false);
  fields.string("init_from", out.initFrom, false);
  fields.string("init", out.init, false);
  fields.string("hf", out.hf, false);
  fields.string("preset", out.preset, false);
  if (const Json *arch = fields.object("arch"))
    readArch(*arch, fields.pathOf("arch"), ctx, out.arch);
  fields.boolean("trainable", out.trainable);
  if (const Json *optimizer = fields.object("optimizer", false)) {
    out.optimizer.emplace();
    readOptimizer(*optimizer, fields.pathOf("optimizer"), ctx, *out.optimizer);
  }
  fields.finish();
}

void readDataSource(const Json &value, const std::string &path,
                    ReadContext &ctx, DataSource &out) {
  FieldReader fields(value, path, ctx);
  fields.string("name", out.name);
  fields.string("kind", out.kind);
  if (const Json *source = fields.object("source")) {
    FieldReader sourceFields(*source, fields.pathOf("source"), ctx);
    sourceFields.string("task", out.task, false);
    sourceFields.attrs("args", out.taskArgs, false);
    sourceFields.string("jsonl", out.jsonlPath, false);
    if (const Json *names = sourceFields.object("fields", false)) {
      for (const auto &[role, name] : names->items()) {
        std::string field;
        readString(name, fieldPath(sourceFields.pathOf("fields"), role), ctx,
                   field);
        out.fields[role] = field;
      }
    }
    sourceFields.finish();
  }
  fields.finish();
}

constexpr int kMaxRewardDepth = 32;

void readRewardExpr(const Json &value, const std::string &path,
                    ReadContext &ctx, RewardExpr &out, int depth) {
  if (depth > kMaxRewardDepth) {
    addScheduleError(ctx.errors, path,
                     "reward expression nested more than " +
                         std::to_string(kMaxRewardDepth) + " levels deep");
    return;
  }
  FieldReader fields(value, path, ctx);
  std::string kind;
  fields.string("kind", kind);
  if (kind == "rule") {
    out.kind = RewardExpr::Kind::Rule;
    fields.string("rule", out.rule);
    fields.attrs("args", out.args, false);
  } else if (kind == "score") {
    out.kind = RewardExpr::Kind::Score;
    fields.string("model", out.model);
  } else if (kind == "sum") {
    out.kind = RewardExpr::Kind::Sum;
    if (const Json *terms = fields.array("terms")) {
      readArray(
          *terms, fields.pathOf("terms"), ctx, out.terms,
          [&](const Json &item, const std::string &itemPath, RewardTerm &term) {
            FieldReader termFields(item, itemPath, ctx);
            termFields.number("weight", term.weight);
            if (const Json *expr = termFields.any("expr"))
              readRewardExpr(*expr, termFields.pathOf("expr"), ctx, term.expr,
                             depth + 1);
            termFields.finish();
          });
    }
  } else {
    if (fields.has("kind") && value["kind"].is_string())
      addScheduleError(ctx.errors, fields.pathOf("kind"),
                       "unknown reward expression kind '" + kind + "'",
                       "use 'rule', 'score' or 'sum'");
    return; // The other fields depend on the kind.
  }
  fields.finish();
}

} // namespace

void readModels(const Json &value, ReadContext &ctx, std::vector<Model> &out) {
  readArray(value, "models", ctx, out,
            [&](const Json &item, const std::string &path, Model &model) {
              readModel(item, path, ctx, model);
            });
}

void readData(const Json &value, ReadContext &ctx,
              std::vector<DataSource> &out) {
  readArray(value, "data", ctx, out,
            [&](const Json &item, const std::string &path, DataSource &data) {
              readDataSource(item, path, ctx, data);
            });
}

void readRewards(const Json &value, ReadContext &ctx,
                 std::vector<Reward> &out) {
  readArray(value, "rewards", ctx, out,
            [&](const Json &item, const std::string &path, Reward &reward) {
              FieldReader fields(item, path, ctx);
              fields.string("name", reward.name);
              if (const Json *expr = fields.any("expr"))
                readRewardExpr(*expr, fields.pathOf("expr"), ctx, reward.expr,
                               0);
              fields.finish();
            });
}

void readPrecompute(const Json &value, ReadContext &ctx,
                    std::vector<PrecomputeTable> &out) {
  readArray(
      value, "precompute", ctx, out,
      [&](const Json &item, const std::string &path, PrecomputeTable &table) {
        FieldReader fields(item, path, ctx);
        fields.string("name", table.name);
        fields.string("model", table.model);
        fields.string("call", table.call);
        fields.string("data", table.data);
        fields.boolean("demos", table.demos, false);
        fields.finish();
      });
}

} // namespace rlg::schedule
