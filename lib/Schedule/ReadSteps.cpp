// Reading a schedule's steps: their ops and per-rank instructions.
#include "ReadParts.h"

#include "rlg/Support/TextDistance.h"

namespace rlg::schedule {
namespace {

void readLayout(const Json &value, const std::string &path, ReadContext &ctx,
                Layout &out) {
  FieldReader fields(value, path, ctx);
  fields.integer("dp", out.dp);
  fields.integer("tp", out.tp);
  fields.integer("pp", out.pp);
  fields.integer("zero", out.zero, false);
  fields.integer("microbatch", out.microbatch, false);
  fields.boolean("checkpointing", out.checkpointing, false);
  fields.boolean("offload", out.offload, false);
  fields.finish();
}

void readOpKind(FieldReader &fields, ReadContext &ctx, OpKind &out) {
  std::string name;
  if (!fields.string("kind", name))
    return;
  if (std::optional<OpKind> kind = parseOpKind(name)) {
    out = *kind;
    return;
  }
  std::string hint = didYouMean(name, opKindNames());
  if (hint.empty())
    hint = "the op kinds are " + quotedList(opKindNames());
  addScheduleError(ctx.errors, fields.pathOf("kind"),
                   "unknown op kind '" + name + "'", hint);
}

void readOp(const Json &value, const std::string &path, ReadContext &ctx,
            Op &out) {
  FieldReader fields(value, path, ctx);
  fields.string("id", out.id);
  readOpKind(fields, ctx, out.kind);
  fields.string("model", out.model, false);
  fields.stringList("inputs", out.inputs, false);
  if (const Json *outputs = fields.array("outputs", false))
    readArray(
        *outputs, fields.pathOf("outputs"), ctx, out.outputs,
        [&](const Json &item, const std::string &itemPath, TypedValue &typed) {
          FieldReader valueFields(item, itemPath, ctx);
          valueFields.string("name", typed.name);
          valueFields.string("type", typed.type);
          valueFields.finish();
        });
  fields.attrs("attrs", out.attrs, false);
  fields.string("mesh", out.mesh);
  if (const Json *layout = fields.object("layout"))
    readLayout(*layout, fields.pathOf("layout"), ctx, out.layout);
  fields.stringList("deps", out.deps, false);
  fields.string("loc", out.loc, false);
  fields.finish();
}

void readInstructions(const Json &value, const std::string &path,
                      ReadContext &ctx, Step &out) {
  for (const auto &[key, ops] : value.items()) {
    std::string rankPath = fieldPath(path, key);
    int64_t rank = 0;
    if (!readRankKey(key, rankPath, ctx, rank))
      continue;
    std::vector<std::string> list;
    readStringList(ops, rankPath, ctx, list);
    out.instructions[rank] = std::move(list);
  }
}

void readStep(const Json &value, const std::string &path, ReadContext &ctx,
              Step &out) {
  FieldReader fields(value, path, ctx);
  fields.string("name", out.name);
  if (const Json *ops = fields.array("ops"))
    readArray(*ops, fields.pathOf("ops"), ctx, out.ops,
              [&](const Json &item, const std::string &opPath, Op &op) {
                readOp(item, opPath, ctx, op);
              });
  if (const Json *instructions = fields.object("instructions"))
    readInstructions(*instructions, fields.pathOf("instructions"), ctx, out);
  fields.finish();
}

} // namespace

void readSteps(const Json &value, ReadContext &ctx, std::vector<Step> &out) {
  readArray(value, "steps", ctx, out,
            [&](const Json &item, const std::string &path, Step &step) {
              readStep(item, path, ctx, step);
            });
}

} // namespace rlg::schedule
