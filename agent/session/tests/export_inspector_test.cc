#include "export_inspector.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"

namespace vigie::session {
namespace {

using protocol::PathClass;

std::string write(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(ExportInspectorTest, CsvGivesSizeExtensionAndRows) {
  vigie::testing::TempDir dir;
  const std::string path = write(dir.path() + "/Clients.CSV", "nom;tel\na;1\nb;2\nc;3");
  auto file = inspectExport(path, PathClass::kRemovable, "libreoffice");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->path_class, PathClass::kRemovable);
  EXPECT_EQ(file->extension, "csv");
  EXPECT_EQ(file->size_bytes, 19u);
  EXPECT_EQ(file->writer_process, "libreoffice");
  EXPECT_EQ(file->rows, 4u);
  EXPECT_FALSE(file->pages.has_value());
}

TEST(ExportInspectorTest, RowsAreCountedAcrossReadBlocks) {
  vigie::testing::TempDir dir;
  std::string content;
  for (int i = 0; i < 50000; ++i) content += "ligne " + std::to_string(i) + "\n";
  auto file = inspectExport(write(dir.path() + "/big.csv", content), PathClass::kDownloads, "cp");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->rows, 50000u);
}

TEST(ExportInspectorTest, PdfPagesAreCountedNotThePageTree) {
  vigie::testing::TempDir dir;
  std::string pdf =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n"
      "4 0 obj << /Type/Page /Parent 2 0 R >> endobj\n";
  // The last page object straddles the 64 KiB read boundary: "/Type" starts 6 bytes before it.
  const std::string last = "5 0 obj << /Type /Page /Parent 2 0 R >> endobj\n%%EOF\n";
  pdf += std::string(65536 - 6 - 11 - pdf.size(), ' ');
  const std::string padded = pdf + last;
  auto file = inspectExport(write(dir.path() + "/r.pdf", padded), PathClass::kDesktop, "evince");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->extension, "pdf");
  EXPECT_EQ(file->pages, 3u);
}

TEST(ExportInspectorTest, TemporaryAndVanishedFilesAreNotExports) {
  vigie::testing::TempDir dir;
  for (const char* name : {"a.csv.crdownload", "b.part", ".hidden.csv", "~$book.xlsx", "c.txt~"}) {
    EXPECT_FALSE(inspectExport(write(dir.path() + "/" + name, "x"), PathClass::kDownloads, "x"))
        << name;
  }
  EXPECT_FALSE(inspectExport(dir.path() + "/gone.csv", PathClass::kDownloads, "x"));
  std::filesystem::create_directory(dir.path() + "/folder.csv");
  EXPECT_FALSE(inspectExport(dir.path() + "/folder.csv", PathClass::kDownloads, "x"));
}

TEST(ExportInspectorTest, AFileWithoutExtensionIsStillAnExport) {
  vigie::testing::TempDir dir;
  auto file = inspectExport(write(dir.path() + "/README", "hello"), PathClass::kOther, "vi");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->extension, "");
  EXPECT_EQ(file->size_bytes, 5u);
}

}  // namespace
}  // namespace vigie::session
