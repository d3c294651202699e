#include "vms/app/landing_page.h"

#include "vms/version.h"

namespace vms {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderLandingPage(const RoleInfo& role, std::string_view telemetry_path,
                              const std::vector<StatusTable>& tables) {
  std::string html;
  html.reserve(4096);
  html += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  html += HtmlEscape(role.binary);
  html +=
      "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}th{background:#eee}"
      "</style></head><body>\n<h1>";
  html += HtmlEscape(role.binary);
  html += "</h1>\n<p>";
  html += HtmlEscape(role.description);
  html += "</p>\n<p>Version ";
  html += HtmlEscape(kVersion);
  html += " (revision ";
  html += HtmlEscape(kRevision);
  html += ")</p>\n<ul><li><a href=\"";
  html += HtmlEscape(telemetry_path);
  html += "\">Metrics</a></li><li><a href=\"/-/healthy\">Health</a></li>"
          "<li><a href=\"/-/ready\">Readiness</a></li></ul>\n";
  for (const auto& table : tables) {
    html += "<h2>" + HtmlEscape(table.title) + "</h2>\n<table><tr>";
    for (const auto& column : table.columns) html += "<th>" + HtmlEscape(column) + "</th>";
    html += "</tr>\n";
    for (const auto& row : table.rows) {
      html += "<tr>";
      for (const auto& cell : row) html += "<td>" + HtmlEscape(cell) + "</td>";
      html += "</tr>\n";
    }
    if (table.rows.empty()) {
      html += "<tr><td colspan=\"" + std::to_string(table.columns.size()) + "\">none</td></tr>\n";
    }
    html += "</table>\n";
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace vms
