# Writes OUTPUT, a C++ file defining vigie::collector::http::consoleAssets(): the files given in
# FILES (a ;-list of paths), each as (name, content type, bytes). Run with cmake -P at build time
# so that editing a console file rebuilds the collector.
set(body "")
set(table "")
foreach(path IN LISTS FILES)
  get_filename_component(name "${path}" NAME)
  get_filename_component(ext "${path}" EXT)
  if(ext STREQUAL ".html")
    set(type "text/html; charset=utf-8")
  elseif(ext STREQUAL ".js")
    set(type "text/javascript; charset=utf-8")
  elseif(ext STREQUAL ".css")
    set(type "text/css; charset=utf-8")
  else()
    message(FATAL_ERROR "EmbedFiles: no content type for ${name}")
  endif()
  file(READ "${path}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(MAKE_C_IDENTIFIER "${name}" id)
  string(APPEND body "constexpr char k_${id}[] = {${bytes}};\n")
  # A string, not a list: the content types hold ';'.
  string(APPEND table "\n    {\"${name}\", \"${type}\", std::string_view(k_${id}, sizeof k_${id})},")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from collector/console/ at build time; do not edit.
#include \"console_assets.h\"

namespace vigie::collector::http {
namespace {
${body}
constexpr ConsoleAsset kAssets[] = {${table}
};
}  // namespace

std::span<const ConsoleAsset> consoleAssets() { return kAssets; }

}  // namespace vigie::collector::http
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
