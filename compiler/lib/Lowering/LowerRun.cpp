// Lowering of the run block (stages, seed, evaluation, checkpoints) and of
// the schedule block's pins into rlg.hints.
#include "Lowering.h"

using namespace mlir;

namespace rlg::lowering {

namespace {
/// The `a.b` path of a block item.
std::string joined(const std::vector<std::string> &path) {
  std::string out;
  for (const std::string &part : path)
    out += (out.empty() ? "" : ".") + part;
  return out;
}
} // namespace

void Lowering::lowerHints() {
  MLIRContext *context = builder_.getContext();
  SmallVector<Attribute> colocate;
  NamedAttrList layouts;
  NamedAttrList overlap;
  overlap.append("mode", builder_.getStringAttr("none"));
  SourceRange where;
  // Model-level `checkpointing = true` is a pin of that model's update.
  for (const dsl::ModelDecl &decl : program_.models)
    for (const dsl::Setting &s : decl.settings)
      if (s.name == "checkpointing" && s.value->boolValue) {
        const dsl::ModelInfo *info = checked_.findModel(decl.name);
        if (info && info->updated)
          layouts.set(decl.name + ".update",
                      DictionaryAttr::get(
                          context,
                          {builder_.getNamedAttr("checkpointing",
                                                 builder_.getBoolAttr(true))}));
      }
  for (const dsl::ItemBlock &block : program_.schedules) {
    where = block.keywordRange;
    for (const dsl::BlockItem &item : block.items) {
      std::string path = joined(item.path);
      if (item.kind == dsl::BlockItem::Kind::Call && path == "colocate") {
        SmallVector<Attribute> group;
        for (const dsl::Arg &arg : item.args)
          group.push_back(symbol(arg.value->text));
        colocate.push_back(builder_.getArrayAttr(group));
      } else if (item.kind == dsl::BlockItem::Kind::Block) {
        NamedAttrList pins;
        if (auto old = layouts.get(path))
          pins.append(llvm::cast<DictionaryAttr>(old).getValue());
        for (const dsl::Setting &s : item.settings)
          if (Attribute value = literalAttr(*s.value))
            pins.set(s.name, value);
        layouts.set(path, pins.getDictionary(context));
      } else if (item.kind == dsl::BlockItem::Kind::Assign &&
                 path == "overlap" &&
                 item.value->kind == dsl::Expr::Kind::Call) {
        overlap.set("mode",
                    builder_.getStringAttr(item.value->lhs->dottedName()));
        for (const dsl::Arg &arg : item.value->args)
          if (Attribute value = literalAttr(*arg.value))
            overlap.set(arg.param.empty() ? arg.name : arg.param, value);
      }
    }
  }
  NamedAttrList attrs;
  attrs.append("colocate", builder_.getArrayAttr(colocate));
  attrs.append("layouts", layouts.getDictionary(context));
  attrs.append("overlap", overlap.getDictionary(context));
  create<ir::HintsOp>(loc(where, "schedule"), {}, {}, attrs);
}

void Lowering::lowerRun() {
  MLIRContext *context = builder_.getContext();
  SmallVector<Attribute> stages;
  int64_t seed = 0, totalSteps = 0;
  std::optional<DictionaryAttr> checkpoint;
  std::vector<const dsl::BlockItem *> evals;
  SourceRange where;
  auto stage = [&](llvm::StringRef step, int64_t steps) {
    stages.push_back(DictionaryAttr::get(
        context, {builder_.getNamedAttr("step", symbol(step)),
                  builder_.getNamedAttr("steps", i64(steps))}));
    totalSteps += steps;
  };
  for (const dsl::ItemBlock &block : program_.runs) {
    where = block.keywordRange;
    for (const dsl::BlockItem &item : block.items) {
      std::string path = joined(item.path);
      if (path == "steps" && !checked_.steps.empty())
        stage(checked_.steps.front().name,
              int64_t(constantValue(*item.value).value_or(1)));
      else if (path == "seed")
        seed = int64_t(constantValue(*item.value).value_or(0));
      else if (path == "stage")
        stage(argOf(item.args, "step")->text,
              int64_t(numberArg(item.args, "steps", 1)));
      else if (path == "eval")
        evals.push_back(&item);
      else if (path == "checkpoint") {
        const dsl::Expr *dir = argOf(item.args, "dir");
        checkpoint = DictionaryAttr::get(
            context,
            {builder_.getNamedAttr(
                 "every", i64(int64_t(numberArg(item.args, "every", 1)))),
             builder_.getNamedAttr(
                 "dir",
                 builder_.getStringAttr(dir ? dir->text : "checkpoints"))});
      }
    }
  }
  // A program without a run block trains its one step once.
  if (stages.empty() && !checked_.steps.empty())
    stage(checked_.steps.front().name, 1);

  std::string defaultPolicy;
  for (const dsl::ModelInfo &m : checked_.models)
    if (m.role == "policy" && !m.frozen && defaultPolicy.empty())
      defaultPolicy = m.name;
  for (const dsl::BlockItem *item : evals) {
    const dsl::Expr *model = argOf(item->args, "model");
    NamedAttrList attrs;
    attrs.append("data", symbol(argOf(item->args, "data")->text));
    attrs.append("model", symbol(model ? model->text : defaultPolicy));
    // Without `every`, evaluation runs once, after the last step.
    attrs.append("every", i64(int64_t(numberArg(item->args, "every",
                                                double(totalSteps)))));
    attrs.append("k", i64(int64_t(numberArg(item->args, "k", 1))));
    attrs.append("temperature", f64(numberArg(item->args, "temperature", 0.0)));
    if (argOf(item->args, "max_tokens"))
      attrs.append("max_tokens",
                   i64(int64_t(numberArg(item->args, "max_tokens", 1))));
    create<ir::EvalOp>(loc(item->range, "eval"), {}, {}, attrs);
  }

  NamedAttrList attrs;
  attrs.append("stages", builder_.getArrayAttr(stages));
  attrs.append("seed", i64(seed));
  if (checkpoint)
    attrs.append("checkpoint", *checkpoint);
  create<ir::RunOp>(loc(where, "run"), {}, {}, attrs);
}

} // namespace rlg::lowering
