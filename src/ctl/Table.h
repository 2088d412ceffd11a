// Rows of text cells, printed as an aligned table for people or as CSV (RFC 4180) for
// spreadsheets.
#pragma once

#include <string>
#include <vector>

namespace lockhub::ctl {

class Table {
public:
    explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

    // A row shorter than the headers is padded with empty cells.
    void add(std::vector<std::string> row);
    bool empty() const { return rows_.empty(); }

    // Columns separated by two spaces, padded to the widest cell (counted in characters, not
    // bytes, so UTF-8 names line up); no trailing spaces.
    std::string text() const;
    // Header line first; CRLF line ends as RFC 4180 asks.
    std::string csv() const;

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// Characters (UTF-8 code points) in `text`.
std::size_t displayWidth(const std::string& text);

}  // namespace lockhub::ctl
