#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vms::pg {

// Rows of a query result in PostgreSQL's text format; a NULL is nullopt.
struct PgRows {
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::size_t rows_dropped = 0;  // rows beyond the query's max_rows, not kept
};

}  // namespace vms::pg
