#include "export_inspector.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace vigie::session {
namespace {

constexpr uint64_t kMaxCountedBytes = 64ull << 20;
constexpr std::array<std::string_view, 5> kTemporaryExtensions = {"crdownload", "part", "partial",
                                                                  "tmp", "swp"};

std::string lowerExtension(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return {};
  std::string extension(name.substr(dot + 1));
  for (char& c : extension) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return extension.size() <= 16 ? extension : std::string();
}

// Calls `chunk` on successive pieces of the file, each with the tail of the previous one
// (`overlap` bytes) in front so that a pattern across a boundary is seen once.
template <typename Chunk>
void scan(const std::filesystem::path& path, size_t overlap, Chunk chunk) {
  std::ifstream file(path, std::ios::binary);
  std::string buffer;
  std::array<char, 1 << 16> block{};
  while (file.read(block.data(), block.size()) || file.gcount() > 0) {
    const size_t kept = buffer.size();
    buffer.append(block.data(), static_cast<size_t>(file.gcount()));
    chunk(std::string_view(buffer), kept);
    buffer.erase(0, buffer.size() > overlap ? buffer.size() - overlap : 0);
  }
}

uint64_t countRows(const std::filesystem::path& path) {
  uint64_t newlines = 0;
  char last = '\n';
  scan(path, 0, [&](std::string_view data, size_t) {
    for (const char c : data) newlines += c == '\n' ? 1 : 0;
    if (!data.empty()) last = data.back();
  });
  return newlines + (last != '\n' ? 1 : 0);
}

// Page objects ("/Type /Page", not "/Type /Pages"). PDFs that keep their objects in compressed
// streams hide them: then the count is absent rather than wrong.
std::optional<uint64_t> countPdfPages(const std::filesystem::path& path) {
  uint64_t pages = 0;
  constexpr std::string_view kType = "/Type";
  scan(path, 16, [&](std::string_view data, size_t kept) {
    for (size_t at = data.find(kType); at != std::string_view::npos;
         at = data.find(kType, at + 1)) {
      size_t i = at + kType.size();
      while (i < data.size() && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r')) ++i;
      // Decided by the byte after "/Page"; when that byte was already in the previous piece,
      // the match was counted there.
      const size_t decider = i + 5;
      if (decider < kept || decider >= data.size()) continue;
      if (data.substr(i, 5) == "/Page" && data[decider] != 's') ++pages;
    }
  });
  if (pages == 0) return std::nullopt;
  return pages;
}

bool isTemporary(std::string_view name, const std::string& extension) {
  if (name.starts_with(".") || name.starts_with("~$") || name.ends_with("~")) return true;
  for (const std::string_view temporary : kTemporaryExtensions) {
    if (extension == temporary) return true;
  }
  return false;
}

}  // namespace

std::optional<protocol::FileExport> inspectExport(const std::string& path,
                                                  protocol::PathClass path_class,
                                                  const std::string& writer_process) {
  const size_t slash = path.find_last_of("/\\");
  const std::string_view name = slash == std::string::npos
                                    ? std::string_view(path)
                                    : std::string_view(path).substr(slash + 1);
  const std::string extension = lowerExtension(name);
  if (name.empty() || isTemporary(name, extension)) return std::nullopt;
  // From UTF-8 explicitly: on Windows a narrow path would be read in the ANSI code page.
  const std::filesystem::path file_path(std::u8string(path.begin(), path.end()));
  std::error_code error;
  if (!std::filesystem::is_regular_file(file_path, error)) return std::nullopt;
  const uintmax_t size = std::filesystem::file_size(file_path, error);
  if (error) return std::nullopt;

  protocol::FileExport file;
  file.path_class = path_class;
  file.extension = extension;
  file.size_bytes = static_cast<uint64_t>(size);
  file.writer_process = writer_process;
  const bool cheap = file.size_bytes <= kMaxCountedBytes;
  if (cheap && (extension == "csv" || extension == "tsv")) file.rows = countRows(file_path);
  if (cheap && extension == "pdf") file.pages = countPdfPages(file_path);
  return file;
}

}  // namespace vigie::session
