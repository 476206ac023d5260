// vigie-enrollment-key: run by the MSI (deferred custom action, as LocalSystem) before it writes
// the enrollment values. It creates HKLM\Software\Vigie\Enrollment, or takes an existing one,
// with a protected DACL that grants SYSTEM and Administrators full control and nobody else
// anything: the token written there next is not readable by the users of the workstation, as
// HKLM\Software's inherited permissions would let it be. wixl has no Permission element; this
// custom action stands in for it.
// Exit status: 0 done, 1 failed (the message says why; the install then fails and rolls back).
#include <windows.h>
// clang-format off
#include <sddl.h>  // after windows.h: it needs its types
// clang-format on

#include <cstdio>

namespace {

constexpr wchar_t kKey[] = L"Software\\Vigie\\Enrollment";
// P: not inherited from HKLM\Software (Users: read); OICI: the same on any subkey.
constexpr wchar_t kDacl[] = L"D:P(A;OICI;KA;;;SY)(A;OICI;KA;;;BA)";

int fail(const char* what, DWORD error) {
  std::fprintf(stderr, "vigie-enrollment-key: %s: error %lu\n", what, error);
  return 1;
}

}  // namespace

int main() {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(kDacl, SDDL_REVISION_1, &descriptor,
                                                            nullptr)) {
    return fail("security descriptor", GetLastError());
  }
  SECURITY_ATTRIBUTES attributes{sizeof(attributes), descriptor, FALSE};
  HKEY key = nullptr;
  LONG status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, kKey, 0, nullptr, 0,
                                WRITE_DAC | KEY_WOW64_64KEY, &attributes, &key, nullptr);
  // A key left by an earlier install keeps its old permissions on create: set them again.
  if (status == ERROR_SUCCESS) {
    status = RegSetKeySecurity(key, DACL_SECURITY_INFORMATION, descriptor);
    RegCloseKey(key);
  }
  LocalFree(descriptor);
  if (status != ERROR_SUCCESS) {
    return fail("HKLM\\Software\\Vigie\\Enrollment", static_cast<DWORD>(status));
  }
  return 0;
}
