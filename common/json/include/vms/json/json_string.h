#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vms {

// Where and why a JSON string body did not decode.
struct JsonStringError {
  std::size_t offset = 0;  // in the body
  std::string_view what;   // a static message
};

// Decodes the body of a JSON string (the text between its quotes) onto
// `out`: \" \\ \/ \b \f \n \r \t and \uXXXX, with UTF-16 surrogate pairs
// joined into one code point (a lone or reversed surrogate is an error).
// Raw control characters (< 0x20) and raw '"' are errors; so is invalid
// UTF-8 (overlong forms, encoded surrogates, beyond U+10FFFF) when
// `validate_utf8`. Also reads the fields of nginx's `escape=json` log
// formats, which escape the same way.
bool AppendJsonUnescaped(std::string_view body, std::string& out, bool validate_utf8 = true,
                         JsonStringError* error = nullptr);

}  // namespace vms
