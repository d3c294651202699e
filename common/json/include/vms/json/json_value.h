#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace vms {

// A parsed JSON value (RFC 8259). Numbers keep the text they were written
// as beside their double, so a 64-bit id or counter (Janus session ids,
// MediaMTX byte counters) stays exact: AsInt64()/AsUint64() read the text,
// not the double. Objects keep their members in document order; Find()
// returns the first member of a name (RFC 8259 leaves duplicates to the
// implementation).
//
// The getters never throw: a value of another type gives std::nullopt (or
// nullptr), so a lookup chain reads naturally:
//   if (const JsonValue* items = doc.Find("items")) ...
//   std::optional<std::string_view> name = item.FindString("name");
class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  using Array = std::vector<JsonValue>;
  using Member = std::pair<std::string, JsonValue>;
  using Object = std::vector<Member>;

  JsonValue() = default;  // null
  static JsonValue Bool(bool b);
  // `text` is the number as written (RFC 8259 grammar); `value` its double.
  static JsonValue Number(double value, std::string text);
  static JsonValue String(std::string s);
  static JsonValue MakeArray(Array elements);
  static JsonValue MakeObject(Object members);

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  std::optional<bool> AsBool() const;
  std::optional<double> AsDouble() const;
  // Exact, from the number's text: nullopt for a fraction, an exponent or a
  // value out of range ("1e3" and "1.0" are not integers here).
  std::optional<std::int64_t> AsInt64() const;
  std::optional<std::uint64_t> AsUint64() const;
  // The number as written; empty unless a number.
  std::string_view NumberText() const;
  std::optional<std::string_view> AsString() const;
  const Array* AsArray() const;
  const Object* AsObject() const;

  // Elements of an array or members of an object; 0 otherwise.
  std::size_t size() const;
  // The member named `key` of an object (the first, if repeated); nullptr
  // when absent or not an object.
  const JsonValue* Find(std::string_view key) const;
  // The element at `index` of an array; nullptr when out of range or not an array.
  const JsonValue* At(std::size_t index) const;

  // Find(key) then the typed getter: nullopt when absent or of another type.
  std::optional<std::string_view> FindString(std::string_view key) const;
  std::optional<double> FindDouble(std::string_view key) const;
  std::optional<std::int64_t> FindInt64(std::string_view key) const;
  std::optional<std::uint64_t> FindUint64(std::string_view key) const;
  std::optional<bool> FindBool(std::string_view key) const;

 private:
  struct Num {
    double value;
    std::string text;
  };
  // Alternatives in the order of Type.
  std::variant<std::monostate, bool, Num, std::string, Array, Object> v_;
};

}  // namespace vms
