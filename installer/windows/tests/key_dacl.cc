// key-dacl KEY: prints the DACL of HKLM\KEY (64-bit view) as SDDL, for test-msi.sh, which has no
// other way under wine to see a key's permissions. Exit status: 0 printed, 1 no such key.
#include <windows.h>
// clang-format off
#include <sddl.h>  // after windows.h: it needs its types
// clang-format on

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: key-dacl KEY (under HKLM)\n");
    return 2;
  }
  HKEY key = nullptr;
  if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, argv[1], 0, READ_CONTROL | KEY_WOW64_64KEY, &key) !=
      ERROR_SUCCESS) {
    return 1;
  }
  DWORD size = 0;
  RegGetKeySecurity(key, DACL_SECURITY_INFORMATION, nullptr, &size);
  std::vector<BYTE> descriptor(size);
  LPWSTR sddl = nullptr;
  const bool ok =
      RegGetKeySecurity(key, DACL_SECURITY_INFORMATION, descriptor.data(), &size) ==
          ERROR_SUCCESS &&
      ConvertSecurityDescriptorToStringSecurityDescriptorW(
          descriptor.data(), SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &sddl, nullptr);
  RegCloseKey(key);
  if (!ok) return 1;
  std::printf("%ls\n", sddl);
  LocalFree(sddl);
  return 0;
}
