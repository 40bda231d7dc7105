// Peak-memory assertions in tests. Under the sanitizers (RUVISION_SANITIZE, which defines
// RUVISION_SANITIZED) shadow memory and ASan's quarantine of freed blocks raise a process's
// resident size a few times over, so the bounds are scaled by kRssSlack there: still far below
// what the bugs they catch cost (a lying header decoded in full takes gigabytes).
#pragma once

namespace rv_test {
#ifdef RUVISION_SANITIZED
inline constexpr long kRssSlack = 3;
#else
inline constexpr long kRssSlack = 1;
#endif
}  // namespace rv_test
