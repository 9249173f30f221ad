// Checks of the top-level declarations: models, data sources and rewards.
#include "Checker.h"

#include "rlg/Data/JsonlRecord.h"
#include "rlg/Data/JsonlShape.h"
#include "rlg/Spec/HfConfig.h"
#include "rlg/Support/TextDistance.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>

namespace rlg::dsl {

namespace {
constexpr long long kIntMax = std::numeric_limits<long long>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();
} // namespace

void Checker::collectGlobals() {
  auto declare = [&](const std::string &name, SourceRange range,
                     GlobalSymbol::Kind kind, size_t index) {
    auto [it, inserted] =
        globals_.emplace(name, GlobalSymbol{kind, range, index});
    if (!inserted) {
      error(range, "'" + name + "' is already defined")
          .notes.push_back(
              {it->second.nameRange, "previous definition is here"});
    }
    return inserted;
  };
  for (size_t i = 0; i < program_.models.size(); ++i) {
    const ModelDecl &decl = program_.models[i];
    ModelInfo info;
    info.name = decl.name;
    out_.models.push_back(info);
    declare(decl.name, decl.nameRange, GlobalSymbol::Kind::Model, i);
  }
  for (size_t i = 0; i < program_.data.size(); ++i)
    declare(program_.data[i].name, program_.data[i].nameRange,
            GlobalSymbol::Kind::Data, i);
  for (size_t i = 0; i < program_.rewards.size(); ++i)
    if (declare(program_.rewards[i].name, program_.rewards[i].nameRange,
                GlobalSymbol::Kind::Reward, i))
      rewards_[program_.rewards[i].name];
  for (size_t i = 0; i < program_.steps.size(); ++i)
    declare(program_.steps[i].name, program_.steps[i].nameRange,
            GlobalSymbol::Kind::Step, i);
}

// ---- Models -----------------------------------------------------------------

void Checker::checkModels() {
  modelStates_.assign(program_.models.size(), CheckState::Unvisited);
  for (size_t i = 0; i < program_.models.size(); ++i)
    if (globals_.at(program_.models[i].name).index == i) // Not a duplicate.
      ensureModelChecked(i);
}

void Checker::ensureModelChecked(size_t index) {
  if (modelStates_[index] != CheckState::Unvisited)
    return;
  modelStates_[index] = CheckState::InProgress;
  checkModel(program_.models[index], out_.models[index]);
  modelStates_[index] = CheckState::Done;
}

const ModelInfo *Checker::sourceModel(const ModelDecl &decl, const Expr *e,
                                      const std::string &what) {
  const ModelInfo *src = modelArg(e, what);
  if (!src)
    return nullptr;
  if (src->name == decl.name) {
    error(e->range,
          decl.role == "frozen"
              ? "model '" + decl.name + "' cannot be a frozen copy of itself"
              : "model '" + decl.name + "' cannot start from its own weights");
    return nullptr;
  }
  // Declarations may come in any order: check the source first.
  size_t index = globals_.at(src->name).index;
  if (modelStates_[index] == CheckState::InProgress) {
    error(e->range,
          "models '" + decl.name + "' and '" + src->name +
              "' each start from the other",
          "start one of them from a preset or a checkpoint");
    return nullptr;
  }
  if (sourceDepth_ >= kMaxSourceDepth) {
    error(e->range, "models start from each other more than " +
                        std::to_string(kMaxSourceDepth) + " deep");
    return nullptr;
  }
  ++sourceDepth_;
  ensureModelChecked(index);
  --sourceDepth_;
  return src->role.empty() ? nullptr : src;
}

void Checker::checkModel(const ModelDecl &decl, ModelInfo &info) {
  static const std::vector<std::string> roles = {"policy", "value", "reward",
                                                 "frozen"};
  if (decl.role == "frozen") {
    info.frozen = true;
    BoundArgs args;
    if (!bindArgs("frozen", decl.roleRange, decl.args, {{"source", true, true}},
                  args))
      return;
    const Expr *source = args.get("source");
    const ModelInfo *src =
        sourceModel(decl, source, "the argument of 'frozen'");
    if (!src)
      return;
    if (src->frozen) {
      error(source->range, "'" + src->name + "' is already frozen",
            "freeze the trainable model: frozen(" + src->frozenFrom + ")");
      return;
    }
    info.role = src->role;
    info.frozenFrom = src->name;
    info.preset = src->preset;
    info.arch = src->arch;
    if (!decl.settings.empty())
      error(decl.settings.front().nameRange,
            "a frozen model takes no settings; it copies '" + src->name + "'",
            "put settings on '" + src->name + "'");
    return;
  }
  if (decl.role != "policy" && decl.role != "value" && decl.role != "reward") {
    std::string hint = didYouMean(decl.role, roles);
    error(decl.roleRange, "unknown model role '" + decl.role + "'",
          hint.empty()
              ? "a model is a policy, value, reward or frozen(...) model"
              : hint);
    return;
  }
  info.role = decl.role;
  BoundArgs args;
  if (!bindArgs(decl.role, decl.roleRange, decl.args,
                {{"preset", true, false},
                 {"from", false, false},
                 {"hf", false, false}},
                args))
    return;
  bool hasPreset = false;
  if (const Expr *hf = args.get("hf")) {
    if (args.get("preset") || args.get("from")) {
      error(hf->range,
            "a model from a Hugging Face checkpoint takes no "
            "preset and no 'from'",
            "its sizes come from the checkpoint's config.json");
      return;
    }
    if (!checkHfModel(hf, info))
      return;
    hasPreset = true;
  }
  if (const Expr *preset = args.get("preset")) {
    std::optional<std::string> name = constString(preset, "the model preset");
    if (!name)
      return;
    std::optional<ModelArch> arch = findModelPreset(*name);
    if (!arch) {
      std::string hint = didYouMean(*name, modelPresetNames());
      error(preset->range, "unknown model preset \"" + *name + "\"",
            hint.empty() ? "presets: " + quotedList(modelPresetNames()) : hint);
      return;
    }
    info.preset = *name;
    info.arch = *arch;
    hasPreset = true;
  }
  if (const Expr *from = args.get("from")) {
    const ModelInfo *src = sourceModel(decl, from, "'from'");
    if (!src) {
      info.role.clear(); // Models that start from this one stay silent.
      return;
    }
    info.initFrom = src->name;
    // Without a preset of its own, the model takes its sizes from the
    // source, whether they came from a preset or were written out.
    if (!hasPreset) {
      info.preset = src->preset;
      info.arch = src->arch;
      hasPreset = true;
    }
  }
  checkModelSettings(decl, info, hasPreset);
}

bool Checker::checkHfModel(const Expr *pathExpr, ModelInfo &info) {
  std::optional<std::string> path =
      constString(pathExpr, "the checkpoint folder 'hf'");
  if (!path)
    return false;
  std::filesystem::path folder(*path);
  if (folder.is_relative()) {
    std::filesystem::path programFile(diags_.sources().name(program_.bufferId));
    folder = programFile.parent_path() / folder;
  }
  std::error_code ignored;
  folder = std::filesystem::absolute(folder, ignored).lexically_normal();
  try {
    HfModelConfig config = readHfConfig(folder);
    info.arch = config.arch;
  } catch (const HfConfigError &e) {
    error(pathExpr->range, e.where() + ": " + e.problem(),
          e.hint().empty() ? "hf names a Hugging Face checkpoint folder "
                             "(config.json, *.safetensors), relative to the "
                             "program's file"
                           : e.hint());
    return false;
  }
  info.hf = folder.string();
  return true;
}

void Checker::checkModelSettings(const ModelDecl &decl, ModelInfo &info,
                                 bool hasPreset) {
  static const std::vector<std::string> archKeys = {
      "layers", "hidden", "ffn", "heads", "kv_heads", "vocab"};
  static const std::vector<std::string> keys = {
      "layers",         "hidden",    "ffn",
      "heads",          "kv_heads",  "vocab",
      "tie_embeddings", "lr",        "warmup",
      "weight_decay",   "grad_clip", "lr_schedule",
      "checkpointing",  "init"};
  std::set<std::string> seen;
  std::map<std::string, int64_t *> archFields = {
      {"layers", &info.arch.layers},    {"hidden", &info.arch.hidden},
      {"ffn", &info.arch.ffn},          {"heads", &info.arch.heads},
      {"kv_heads", &info.arch.kvHeads}, {"vocab", &info.arch.vocab}};
  std::map<std::string, SourceRange> ranges;
  for (const Setting &setting : decl.settings) {
    const std::string &key = setting.name;
    if (!seen.insert(key).second) {
      error(setting.nameRange, "setting '" + key + "' is given twice");
      continue;
    }
    ranges[key] = setting.value->range;
    const Expr *value = setting.value.get();
    if ((archFields.count(key) || key == "tie_embeddings") &&
        !info.hf.empty()) {
      error(setting.nameRange,
            "'" + key + "' of a Hugging Face model comes from its config.json",
            "remove the setting; train a checkpoint of another shape by "
            "converting it first");
    } else if (archFields.count(key)) {
      if (auto v = constInt(value, "'" + key + "'", 1, 1 << 24))
        *archFields[key] = *v;
    } else if (key == "tie_embeddings") {
      if (auto v = constBool(value, "'tie_embeddings'"))
        info.arch.tieEmbeddings = *v;
    } else if (key == "lr") {
      constFloat(value, "the learning rate 'lr'", 0, 1, true);
    } else if (key == "warmup") {
      constInt(value, "'warmup'", 0, kIntMax);
    } else if (key == "weight_decay") {
      constFloat(value, "'weight_decay'", 0, kInf);
    } else if (key == "grad_clip") {
      constFloat(value, "'grad_clip'", 0, kInf, true);
    } else if (key == "lr_schedule") {
      constChoice(value, "learning-rate schedule",
                  {"constant", "cosine", "linear"});
    } else if (key == "checkpointing") {
      constBool(value, "'checkpointing'");
    } else if (key == "init") {
      constString(value, "'init'");
    } else {
      std::string hint = didYouMean(key, keys);
      error(setting.nameRange, "unknown model setting '" + key + "'",
            hint.empty() ? "model settings: " + quotedList(keys) : hint);
    }
  }
  if (!hasPreset) {
    std::vector<std::string> missing;
    for (const std::string &key : archKeys)
      if (!seen.count(key))
        missing.push_back(key);
    if (!missing.empty()) {
      error(decl.roleRange,
            "model '" + decl.name + "' has no preset and no " +
                quotedList(missing),
            "name a preset, e.g. " + decl.role +
                "(\"tiny\"), or give every size");
      return;
    }
  }
  const ModelArch &arch = info.arch;
  if (arch.heads > 0 && arch.hidden % arch.heads != 0) {
    SourceRange where =
        ranges.count("heads") ? ranges["heads"] : decl.roleRange;
    error(where,
          "hidden size " + std::to_string(arch.hidden) +
              " is not divisible by " + std::to_string(arch.heads) + " heads",
          "each head gets hidden / heads dimensions");
  }
  if (arch.kvHeads > 0 && arch.heads % arch.kvHeads != 0) {
    SourceRange where =
        ranges.count("kv_heads") ? ranges["kv_heads"] : decl.roleRange;
    error(where,
          std::to_string(arch.heads) +
              " attention heads are not divisible by " +
              std::to_string(arch.kvHeads) + " key/value heads",
          "grouped-query attention shares each key/value head by a whole "
          "number of heads");
  }
}

// ---- Data -------------------------------------------------------------------

void Checker::checkData(DataDecl &decl) {
  Type type = checkDataSource(*decl.source);
  decl.source->type = type;
  dataTypes_[decl.name] = type;
}

namespace {

/// Reads the first record of a JSONL file as the runtime reads its lines
/// (a byte order mark, CR line ends and blank lines skipped); returns an
/// error text on failure.
std::string readFirstRecord(const std::string &path, std::string &record) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "cannot open data file '" + path + "'";
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    std::string_view text = data::jsonlRecordText(line, first);
    first = false;
    if (data::isBlankJsonlLine(text))
      continue;
    record = std::string(text);
    return "";
  }
  return "data file '" + path + "' has no records";
}

DataKind dataKindOf(const std::string &kind) {
  return kind == "pairs"     ? DataKind::Preferences
         : kind == "demos"   ? DataKind::Demonstrations
         : kind == "labeled" ? DataKind::Labeled
                             : DataKind::Prompts;
}

/// Why the roles given to `jsonl(...)` make no valid combination.
struct RolesProblem {
  SourceRange range;
  std::string message;
  std::string hint;
};

RolesProblem explainJsonlRoles(const Expr &source, const BoundArgs &args) {
  auto has = [&](const char *role) { return args.has(role); };
  std::string hint = data::jsonlShapesHint();
  bool pairs = has("chosen") || has("rejected");
  bool demos = has("response");
  bool labeled = has("completion") || has("label");
  if (pairs + demos + labeled > 1)
    return {source.range, "a jsonl source holds one kind of record",
            "use chosen/rejected for preferences, response for "
            "demonstrations, or completion/label for labeled completions"};
  if (has("messages"))
    for (const char *role :
         {"prompt", "chosen", "rejected", "response", "completion", "label"})
      if (has(role))
        return {args.get(role)->range,
                std::string("'messages' holds the whole conversation, so it "
                            "does not go with '") +
                    role + "'",
                hint};
  if (pairs && !(has("chosen") && has("rejected")))
    return {source.range,
            "preference data needs both 'chosen' and 'rejected' fields", hint};
  if (labeled && !(has("completion") && has("label")))
    return {source.range,
            "labeled data needs both 'completion' and 'label' fields", hint};
  if (has("answer") && (pairs || demos || labeled))
    return {args.get("answer")->range, "'answer' is only for prompt files",
            hint};
  if (!has("prompt"))
    return {source.range,
            "a jsonl source needs a 'prompt' or a 'messages' field", hint};
  return {source.range, "these jsonl fields do not make a data source", hint};
}

} // namespace

Type Checker::checkDataSource(Expr &source) {
  Type type = Type::of(TypeKind::Data);
  if (source.kind != Expr::Kind::Call) {
    error(source.range,
          "a data source must be a call such as task.arith(...) or jsonl(...)");
    return Type::error();
  }
  std::string callee = source.lhs->dottedName();
  static const std::vector<std::string> sources = {"task.arith", "task.sort",
                                                   "task.reverse", "jsonl"};
  if (callee == "task.arith" || callee == "task.sort" ||
      callee == "task.reverse") {
    std::vector<ParamSpec> params = {{"split", false, false},
                                     {"size", false, false},
                                     {"seed", false, false}};
    if (callee == "task.arith") {
      params.push_back({"digits", false, false});
      params.push_back({"ops", false, false});
    } else {
      params.push_back({"length", false, false});
    }
    BoundArgs args;
    if (!bindArgs(callee, source.range, source.args, params, args))
      return Type::error();
    if (args.has("split"))
      constChoice(args.get("split"), "split", {"train", "test"});
    if (args.has("size"))
      constInt(args.get("size"), "'size'", 1, 10000000);
    if (args.has("seed"))
      constInt(args.get("seed"), "'seed'", 0, kIntMax);
    if (args.has("digits"))
      constInt(args.get("digits"), "'digits'", 1, 9);
    if (args.has("length"))
      constInt(args.get("length"), "'length'", 2, 64);
    if (const Expr *ops = args.get("ops")) {
      if (auto text = constString(ops, "'ops'")) {
        if (text->empty() ||
            text->find_first_not_of("+-*") != std::string::npos)
          error(ops->range, "'ops' must be made of the operators + - *",
                "for example ops = \"+-\"");
      }
    }
    type.dataKind = DataKind::Prompts;
    type.hasAnswers = true;
    return type;
  }
  if (callee != "jsonl") {
    std::string hint = didYouMean(callee, sources);
    error(source.lhs->range, "unknown data source '" + callee + "'",
          hint.empty() ? "data comes from " + quotedList(sources) : hint);
    return Type::error();
  }
  // The roles given pick a combination (rlg/Data/JsonlShape.h).
  std::vector<ParamSpec> params = {{"path", true, true}};
  for (const std::string &role : data::jsonlRoles())
    params.push_back({role.c_str(), false, false});
  BoundArgs args;
  if (!bindArgs("jsonl", source.range, source.args, params, args))
    return Type::error();
  std::set<std::string> roles;
  for (const std::string &role : data::jsonlRoles())
    if (args.has(role))
      roles.insert(role);
  const data::JsonlShape *shape = data::matchJsonlShape(roles);
  if (!shape) {
    RolesProblem why = explainJsonlRoles(source, args);
    error(why.range, why.message, why.hint);
    return Type::error();
  }
  // The file must exist and its first record must read as the runtime
  // reads every record.
  const Expr *pathExpr = args.get("path");
  std::optional<std::string> path = constString(pathExpr, "the data file path");
  data::JsonlFields fields;
  std::map<std::string, const Expr *> fieldExprs;
  for (const std::string &role : roles) {
    const Expr *e = args.get(role);
    std::optional<std::string> name = constString(e, "'" + role + "'");
    if (!name)
      return Type::error();
    fields[role] = *name;
    fieldExprs[role] = e;
  }
  if (!path)
    return Type::error();
  std::filesystem::path file(*path);
  if (file.is_relative()) {
    std::filesystem::path programFile(diags_.sources().name(program_.bufferId));
    file = programFile.parent_path() / file;
  }
  std::string record;
  std::string problem = readFirstRecord(file.string(), record);
  if (!problem.empty()) {
    error(pathExpr->range, problem, "paths are relative to the program's file");
    return Type::error();
  }
  // A conversation ending with an assistant message makes demos.
  data::RecordProblem bad;
  std::string kind = shape->kinds.size() == 1
                         ? shape->kinds.front()
                         : data::jsonlRecordKind(record, fields, bad);
  data::Example example;
  if (kind.empty() ||
      !data::readJsonlRecord(record, kind, fields, example, bad)) {
    auto at = fieldExprs.find(bad.role);
    const Expr *where = at == fieldExprs.end() ? pathExpr : at->second;
    std::string first = "the first record of '" + *path + "'";
    std::string message;
    if (bad.missing &&
        bad.message == "the record has no field \"" + bad.field + "\"")
      message = "field \"" + bad.field + "\" is not in " + first;
    else if (bad.message.rfind("the record ", 0) == 0)
      message = first + bad.message.substr(10);
    else if (bad.message.rfind("not a JSON object", 0) == 0)
      message = first + " is " + bad.message;
    else
      message = first + ": " + bad.message;
    error(where->range, message, bad.hint);
    return Type::error();
  }
  type.dataKind = dataKindOf(kind);
  type.hasAnswers = args.has("answer");
  return type;
}

// ---- Rewards ----------------------------------------------------------------

void Checker::checkRewards() {
  for (RewardDecl &decl : program_.rewards) {
    if (globals_.at(decl.name).kind != GlobalSymbol::Kind::Reward ||
        rewards_[decl.name].state == RewardInfo::State::Done)
      continue;
    rewards_[decl.name].state = RewardInfo::State::InProgress;
    Type type = typeRewardExpr(*decl.value, decl.name);
    if (!type.isError() && type.kind != TypeKind::Reward) {
      error(
          decl.value->range,
          "a reward must be a rule, a model score or a weighted sum of rewards",
          "for example: reward r = rule.exact_match()");
      type = Type::error();
    }
    rewards_[decl.name].type = type;
    rewards_[decl.name].state = RewardInfo::State::Done;
  }
}

Type Checker::typeRewardExpr(Expr &expr, const std::string &declName) {
  Type result = Type::error();
  switch (expr.kind) {
  case Expr::Kind::Integer:
    result = Type::of(TypeKind::Int);
    break;
  case Expr::Kind::Float:
    result = Type::of(TypeKind::Float);
    break;
  case Expr::Kind::Negate: {
    Type inner = typeRewardExpr(*expr.lhs, declName);
    result = inner;
    break;
  }
  case Expr::Kind::Name: {
    auto it = globals_.find(expr.text);
    if (it == globals_.end() || it->second.kind != GlobalSymbol::Kind::Reward) {
      std::vector<std::string> names;
      for (const auto &entry : rewards_)
        names.push_back(entry.first);
      std::string hint = didYouMean(expr.text, names);
      error(expr.range,
            it == globals_.end() ? "unknown reward '" + expr.text + "'"
                                 : "'" + expr.text + "' is not a reward",
            hint);
      break;
    }
    RewardInfo &info = rewards_[expr.text];
    if (info.state == RewardInfo::State::InProgress) {
      error(expr.range,
            expr.text == declName
                ? "reward '" + declName + "' is defined in terms of itself"
                : "reward '" + declName + "' uses '" + expr.text +
                      "', which depends on '" + declName +
                      "': the rewards form a cycle",
            "a weighted sum must be built from other rewards");
      break;
    }
    if (info.state == RewardInfo::State::Unvisited) {
      if (sourceDepth_ >= kMaxSourceDepth) {
        error(expr.range, "rewards are nested more than " +
                              std::to_string(kMaxSourceDepth) + " deep");
        break;
      }
      RewardDecl &decl = program_.rewards[it->second.index];
      info.state = RewardInfo::State::InProgress;
      ++sourceDepth_;
      info.type = typeRewardExpr(*decl.value, decl.name);
      --sourceDepth_;
      info.state = RewardInfo::State::Done;
    }
    markUsed(expr.text);
    if (rewards_[declName].answerRule.empty())
      rewards_[declName].answerRule = info.answerRule;
    result = info.type.isError() ? Type::error() : Type::of(TypeKind::Reward);
    break;
  }
  case Expr::Kind::Binary: {
    Type lhs = typeRewardExpr(*expr.lhs, declName);
    Type rhs = typeRewardExpr(*expr.rhs, declName);
    if (lhs.isError() || rhs.isError())
      break;
    bool lhsReward = lhs.kind == TypeKind::Reward,
         rhsReward = rhs.kind == TypeKind::Reward;
    if (expr.op == '+' || expr.op == '-') {
      if (lhsReward && rhsReward)
        result = Type::of(TypeKind::Reward);
      else if (lhs.isNumber() && rhs.isNumber())
        result = Type::of(TypeKind::Float);
      else
        error(expr.range,
              "a weighted sum adds rewards, not a reward and a number",
              "scale rewards with '*': 0.5 * fmt");
    } else if (expr.op == '*') {
      if ((lhsReward && rhs.isNumber()) || (lhs.isNumber() && rhsReward))
        result = Type::of(TypeKind::Reward);
      else if (lhs.isNumber() && rhs.isNumber())
        result = Type::of(TypeKind::Float);
      else
        error(expr.range,
              "rewards can be scaled by numbers, not multiplied together");
    } else {
      if (lhsReward && rhs.isNumber())
        result = Type::of(TypeKind::Reward);
      else if (lhs.isNumber() && rhs.isNumber())
        result = Type::of(TypeKind::Float);
      else
        error(expr.range, "a reward can only be divided by a number");
    }
    break;
  }
  case Expr::Kind::Call: {
    std::string callee = expr.lhs->dottedName();
    BoundArgs args;
    if (callee == "rule.exact_match" || callee == "rule.math_answer") {
      if (bindArgs(callee, expr.range, expr.args, {}, args)) {
        rewards_[declName].answerRule = callee;
        result = Type::of(TypeKind::Reward);
      }
    } else if (callee == "rule.format") {
      if (bindArgs(callee, expr.range, expr.args, {{"pattern", true, true}},
                   args)) {
        if (auto pattern =
                constString(args.get("pattern"), "the format pattern")) {
          try {
            std::regex re(*pattern, std::regex::ECMAScript);
            result = Type::of(TypeKind::Reward);
          } catch (const std::regex_error &e) {
            error(args.get("pattern")->range,
                  "invalid regular expression: " + std::string(e.what()));
          }
        }
      }
    } else if (callee == "rule.length_penalty") {
      if (bindArgs(callee, expr.range, expr.args,
                   {{"target", false, true}, {"weight", false, false}}, args)) {
        bool ok =
            constInt(args.get("target"), "'target'", 1, kIntMax).has_value();
        if (args.has("weight"))
          ok &= constFloat(args.get("weight"), "'weight'", 0, kInf).has_value();
        if (ok)
          result = Type::of(TypeKind::Reward);
      }
    } else if (callee == "rule.overlong") {
      if (bindArgs(callee, expr.range, expr.args,
                   {{"max", false, true}, {"buffer", false, true}}, args)) {
        auto max = constInt(args.get("max"), "'max'", 1, kIntMax);
        auto buffer = constInt(args.get("buffer"), "'buffer'", 1, kIntMax);
        if (max && buffer && *buffer >= *max)
          error(args.get("buffer")->range,
                "the overlong buffer (" + std::to_string(*buffer) +
                    ") must be shorter than max (" + std::to_string(*max) + ")",
                "the penalty ramps up over the last 'buffer' tokens before "
                "'max'");
        else if (max && buffer)
          result = Type::of(TypeKind::Reward);
      }
    } else if (callee == "score") {
      if (bindArgs(callee, expr.range, expr.args, {{"model", true, true}},
                   args)) {
        const ModelInfo *model =
            modelArg(args.get("model"), "the argument of 'score'");
        if (model &&
            !model->role.empty()) { // An empty role was reported already.
          if (model->role != "reward")
            error(args.get("model")->range, "score() needs a reward model; '" +
                                                model->name + "' is a " +
                                                model->role + " model");
          else
            result = Type::of(TypeKind::Reward);
        }
      }
    } else {
      static const std::vector<std::string> rules = {
          "rule.exact_match",    "rule.math_answer", "rule.format",
          "rule.length_penalty", "rule.overlong",    "score"};
      std::string hint = didYouMean(callee, rules);
      error(expr.lhs->range, "unknown reward function '" + callee + "'",
            hint.empty()
                ? "rewards are " + quotedList(rules) + " or sums of them"
                : hint);
    }
    break;
  }
  default:
    error(
        expr.range,
        "a reward must be a rule, a model score or a weighted sum of rewards");
    break;
  }
  expr.type = result;
  return result;
}

} // namespace rlg::dsl
