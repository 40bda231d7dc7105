// rv::suggest_keep (KeepSuggestion.h): the members are compared pairwise by the rule's steps.
#include "ruvision/engine/KeepSuggestion.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace rv {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The first step of the rule on which a beats b: its KeepReason bit, or 0 if a does not beat b
// (b wins or they tie on every step). `upright` is the majority orientation, -1 for none.
unsigned beats(const DuplicateMember& a, const DuplicateMember& b, int upright) {
    const long long pa = static_cast<long long>(a.width) * a.height, pb = static_cast<long long>(b.width) * b.height;
    if (pa != pb) return pa > pb ? kKeepMorePixels : 0;
    if (upright >= 0 && (a.orientation == upright) != (b.orientation == upright))
        return a.orientation == upright ? kKeepUpright : 0;
    const double sa = static_cast<double>(a.size), sb = static_cast<double>(b.size);
    if (sa > sb * (1 + kKeepSizeMargin)) return kKeepLargerFile;
    if (sb > sa * (1 + kKeepSizeMargin)) return 0;
    if (a.mtime_ns != b.mtime_ns) return a.mtime_ns < b.mtime_ns ? kKeepOlder : 0;
    const bool ca = has_copy_mark(a.path), cb = has_copy_mark(b.path);
    if (ca != cb) return cb ? kKeepPlainName : 0;
    return 0;
}

}  // namespace

bool has_copy_mark(std::string_view path) {
    const auto slash = path.find_last_of('/');
    std::string name = lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
    if (const auto dot = name.find_last_of('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    while (!name.empty() && (name.back() == ' ')) name.pop_back();
    for (std::string_view mark : {"copy", "kopie", "copie", "copia"})
        if (ends_with(name, mark)) return true;
    // " (2)", "-1", "_2", " 2" style counters, and "copy 2" / "copy (2)".
    std::size_t end = name.size();
    if (end > 0 && name[end - 1] == ')') {
        const auto open = name.find_last_of('(');
        if (open == std::string::npos || open + 2 > end - 1) return false;
        for (std::size_t i = open + 1; i + 1 < end; ++i)
            if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
        return true;
    }
    std::size_t digits = 0;
    while (digits < end && std::isdigit(static_cast<unsigned char>(name[end - 1 - digits]))) ++digits;
    if (digits == 0 || digits > 2 || digits == end) return false;  // "IMG_1234" is a camera number, not a copy
    const char sep = name[end - 1 - digits];
    if (sep != '-' && sep != '_' && sep != ' ') return false;
    const std::string_view before = std::string_view(name).substr(0, end - 1 - digits);
    if (ends_with(before, "copy") || ends_with(before, "copy ")) return true;
    // A short counter after a separator, after a name that is not itself a number ("2024-01-05").
    return !before.empty() && !std::isdigit(static_cast<unsigned char>(before.back()));
}

KeepSuggestion suggest_keep(const std::vector<DuplicateMember>& members) {
    KeepSuggestion out;
    // The majority orientation among the verified members, if strict.
    std::map<int, int> votes;
    int verified = 0;
    for (const auto& m : members)
        if (m.verified) ++votes[m.orientation], ++verified;
    int upright = -1;
    for (const auto& [o, n] : votes)
        if (2 * n > verified) upright = o;
    // The first member no other beats; the steps' size margin is not transitive, so if every
    // member is beaten by some other (a cycle), the winner of a pass in group order.
    const int n = static_cast<int>(members.size());
    int passWinner = -1;
    for (int i = 0; i < n; ++i) {
        if (!members[i].verified) continue;
        if (passWinner < 0 || beats(members[i], members[passWinner], upright)) passWinner = i;
        bool beaten = false;
        for (int j = 0; j < n && !beaten; ++j)
            beaten = j != i && members[j].verified && beats(members[j], members[i], upright);
        if (!beaten && out.index < 0) out.index = i;
    }
    if (out.index < 0) out.index = passWinner;
    if (out.index < 0) return out;
    for (int i = 0; i < n; ++i) {
        if (i == out.index || !members[i].verified) continue;
        if (const unsigned why = beats(members[out.index], members[i], upright)) out.reasons |= why;
        else if (!beats(members[i], members[out.index], upright)) out.reasons |= kKeepFirst;
    }
    return out;
}

std::string keep_reason_text(unsigned reasons) {
    static const std::pair<unsigned, const char*> kText[] = {
        {kKeepMorePixels, "most pixels"},     {kKeepUpright, "not turned"},
        {kKeepLargerFile, "largest file"},    {kKeepOlder, "oldest file"},
        {kKeepPlainName, "name without a copy mark"}, {kKeepFirst, "the group's first of equal files"}};
    std::string out;
    for (const auto& [bit, text] : kText)
        if (reasons & bit) out += (out.empty() ? "" : ", ") + std::string(text);
    return out;
}

}  // namespace rv
