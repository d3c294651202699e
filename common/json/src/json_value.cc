#include "vms/json/json_value.h"

#include "vms/base/text.h"

namespace vms {

JsonValue JsonValue::Bool(bool b) {
  JsonValue v;
  v.v_ = b;
  return v;
}

JsonValue JsonValue::Number(double value, std::string text) {
  JsonValue v;
  v.v_ = Num{value, std::move(text)};
  return v;
}

JsonValue JsonValue::String(std::string s) {
  JsonValue v;
  v.v_ = std::move(s);
  return v;
}

JsonValue JsonValue::MakeArray(Array elements) {
  JsonValue v;
  v.v_ = std::move(elements);
  return v;
}

JsonValue JsonValue::MakeObject(Object members) {
  JsonValue v;
  v.v_ = std::move(members);
  return v;
}

std::optional<bool> JsonValue::AsBool() const {
  if (const bool* b = std::get_if<bool>(&v_)) return *b;
  return std::nullopt;
}

std::optional<double> JsonValue::AsDouble() const {
  if (const Num* n = std::get_if<Num>(&v_)) return n->value;
  return std::nullopt;
}

std::optional<std::int64_t> JsonValue::AsInt64() const {
  const Num* n = std::get_if<Num>(&v_);
  std::int64_t out = 0;
  if (n == nullptr || !ParseNumber(n->text, out)) return std::nullopt;
  return out;
}

std::optional<std::uint64_t> JsonValue::AsUint64() const {
  const Num* n = std::get_if<Num>(&v_);
  std::uint64_t out = 0;
  if (n == nullptr || !ParseNumber(n->text, out)) return std::nullopt;
  return out;
}

std::string_view JsonValue::NumberText() const {
  if (const Num* n = std::get_if<Num>(&v_)) return n->text;
  return {};
}

std::optional<std::string_view> JsonValue::AsString() const {
  if (const std::string* s = std::get_if<std::string>(&v_)) return std::string_view(*s);
  return std::nullopt;
}

const JsonValue::Array* JsonValue::AsArray() const { return std::get_if<Array>(&v_); }

const JsonValue::Object* JsonValue::AsObject() const { return std::get_if<Object>(&v_); }

std::size_t JsonValue::size() const {
  if (const Array* a = AsArray()) return a->size();
  if (const Object* o = AsObject()) return o->size();
  return 0;
}

const JsonValue* JsonValue::Find(std::string_view key) const {
  const Object* o = AsObject();
  if (o == nullptr) return nullptr;
  for (const auto& [name, value] : *o) {
    if (name == key) return &value;
  }
  return nullptr;
}

const JsonValue* JsonValue::At(std::size_t index) const {
  const Array* a = AsArray();
  if (a == nullptr || index >= a->size()) return nullptr;
  return &(*a)[index];
}

std::optional<std::string_view> JsonValue::FindString(std::string_view key) const {
  const JsonValue* v = Find(key);
  return v ? v->AsString() : std::nullopt;
}

std::optional<double> JsonValue::FindDouble(std::string_view key) const {
  const JsonValue* v = Find(key);
  return v ? v->AsDouble() : std::nullopt;
}

std::optional<std::int64_t> JsonValue::FindInt64(std::string_view key) const {
  const JsonValue* v = Find(key);
  return v ? v->AsInt64() : std::nullopt;
}

std::optional<std::uint64_t> JsonValue::FindUint64(std::string_view key) const {
  const JsonValue* v = Find(key);
  return v ? v->AsUint64() : std::nullopt;
}

std::optional<bool> JsonValue::FindBool(std::string_view key) const {
  const JsonValue* v = Find(key);
  return v ? v->AsBool() : std::nullopt;
}

}  // namespace vms
