<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>MapPainter</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>not enough memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>xdg-open refused the command line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a tool xdg-open needs is missing (no desktop environment or MIME tools found)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no application could open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>xdg-open ended with status %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2 could not be started (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 crashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ended with status %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>xdg-open is not installed: install xdg-utils.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: xdg-open is not installed: install xdg-utils.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot show %1: the folder %2 no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name cannot contain “/”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” already exists in this folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot move to the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a file in a trash folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trash has no record of this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No longer in the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another file is already at this path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot move back from the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name cannot contain “/”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a file name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New name for %1 in %2:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1/%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 px (%3 MP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (EXIF date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (file date; no EXIF date)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ISO %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXIF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) in formats RuVision cannot read: %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::CompareDialog</name>
    <message>
        <source>Compare: with and without what RuVision learned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Without the adapter&lt;/b&gt; (the plain features, as before any learning)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;With adapter version %1&lt;/b&gt; (what search shows now)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;With the fast adapter only&lt;/b&gt; (no version is active)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching for images like %1 both ways…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of the first 10 results, %1 are in a different place and %2 are new with the adapter.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::DuplicateCards</name>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No near-duplicates to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · Similar pictures, none a verified copy of another: every file is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · Suggested keep: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked: kept. Unchecked: moved to the Trash by “Move Unchecked to Trash…”.
At least one file of each group stays checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar, not verified: the pixels do not show that this is the same picture, so it is always kept.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
The group&apos;s reference picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Similarity to the group&apos;s first picture: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Verified on pixels: the same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Similar, not verified: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Suggested keep: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Unchecked: goes to the Trash with “Move Unchecked to Trash…”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Click to preview; double-click or Enter also opens a hidden preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files are being moved to the Trash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar, but not verified to be the same picture: it stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least one file of each group is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>similar, not verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>similar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::DuplicatesView</name>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>most pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not turned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>largest file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>oldest file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name without a copy mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the first of equal files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move these %1 (%2) to the Trash?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…and %1 more (see Details).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each was verified on its pixels to be the same picture as a file that stays. Undo Trash (Ctrl+Z) brings them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep Suggested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In every group, keep only the suggested file: the most pixels; on equal pixels the one not turned, then the clearly larger file, the oldest, a name without a copy mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move Unchecked to Trash…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move every file whose Keep box is unchecked to the desktop Trash, after confirming. Files can be restored from the Trash.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the files of the last trash back to where they were (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No near-duplicate groups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of near-duplicates · %2 unchecked (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moving to Trash…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be brought back from the Trash:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be moved to the Trash and stayed in place:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…and %1 more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected picture is not the same picture as its group&apos;s first one: it leaves the group, and RuVision learns from it (N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; click a card first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a Duplicate of the Others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of This Group Are Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::FileCommands</name>
    <message>
        <source>Move to Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move “%1” to the trash?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1. RuVision forgets it; Undo (Ctrl+Z) or the desktop&apos;s trash brings it back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo Move to Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be moved to the trash: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo Move to Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be brought back from the trash: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be renamed to “%2”: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open With System Viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Containing Folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::FolderTree</name>
    <message>
        <source>Open in File Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove Folder from Library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RuVision forgets this folder&apos;s pictures; nothing on disk is touched</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::FolderTreeModel</name>
    <message>
        <source>%1 (offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Offline: %2. Its pictures stay in the library until it returns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>folder not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
This folder cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::ImageGridModel</name>
    <message>
        <source>same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>very similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>related</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
A copy of #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Rank #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Score %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Score %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Its copies are shown after it (click the badge or press Space to hide them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>
%n more file(s) are copies of this picture</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source> (click the badge or press Space to show)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Marked alike to the query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Marked different from the query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
No thumbnail: cannot read this file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::ImageViewer</name>
    <message>
        <source>← Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the grid (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find Similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images that look like this one (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File information: size, date, camera, exposure (I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::IndexingPanel</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop indexing; what is done is kept and the next start resumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files that could not be indexed, and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning folders…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Indexing %L1 / %L2 · %3 img/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Indexing failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled: %Ln new image(s) indexed; the rest resumes next time</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Up to date: %Ln image(s) (%L1 new, %L2 moved, %L3 removed) in %4 s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Files That Could Not Be Indexed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convert them to JPEG, PNG, WebP, TIFF or HEIC to find them by their picture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy List</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::InfoPanel</name>
    <message>
        <source>&lt;i&gt;Reading…&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::LearningPanel</name>
    <message>
        <source>Learn Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train a new version on every mark now; it becomes active only if it orders the held-out marks better than the active one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learn in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After 10 new marks and 20 s without another, learn by itself (never while indexing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The current query&apos;s results with and without the adapter, side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by file name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All verdicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>different</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected marks from the library (Del in the list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adapter versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use No Adapter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search on the plain features, exactly as before any learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning in the background from the new marks…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activating version %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switching the adapter off…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for indexing to finish…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training: step %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-projecting: %L1 of %L2 features</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n mark(s) to %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed, nothing stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n mark(s) from %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) could not be placed:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The marks cannot be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The adapter versions cannot be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning cancelled: nothing was stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Version %1 learned from %n mark(s), active: held-out %2 → %3.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Version %1 learned from %n mark(s), not active: %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>In the background: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation cancelled: the active version stays as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1 is active: searches use it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No adapter is active: searches use the plain features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n mark(s)&lt;/b&gt;: %1 alike, %2 different · %3</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>active adapter: &lt;b&gt;version %1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no adapter version active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll Back to Version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate Version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Removed %n mark(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Compare needs a query: ask for images like a file first (select it and press Enter), then Compare.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::LibraryService</name>
    <message>
        <source>No library is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1 (is the disk full?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot replace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is among the unjudged pairs nearest the duplicate threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the adapter and the plain features disagree on it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::MainWindow</name>
    <message>
        <source>Images (*.jpg *.jpeg *.jpe *.png *.webp *.tif *.tiff *.bmp *.heic *.heif *.hif *.avif *.cr2 *.cr3 *.crw *.nef *.nrw *.arw *.srf *.sr2 *.dng *.raf *.orf *.rw2 *.rwl *.pef *.srw *.3fr *.iiq *.erf *.kdc *.mrw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RuVision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thumbnail size (Ctrl++ / Ctrl+-)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1 from the library?
The files stay on disk; RuVision forgets them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) moved to the trash</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Noted: %1 and %2 are not the same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The verdict on %1 was not stored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) restored from the trash</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a folder of photos to the library; it is indexed in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find Similar to &amp;File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose any image file and see the library&apos;s images that look like it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open or create a library in another folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rescan Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for new, changed, moved and deleted files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel Indexing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find images like the one on the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The previous query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The next query</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find &amp;Similar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images that look like the selected one (also Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View Full Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image filling the window, with the previous and next ones (also double-click; Esc goes back)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open With System Viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Containing &amp;Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to &amp;Trash…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Larger Thumbnails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Smaller Thumbnails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File &amp;Information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size, date, camera, lens and exposure of the image, in the preview and the full view (I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find &amp;Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups of near-duplicate images, to choose which to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What RuVision learned from your marks: the marks, the adapter versions, Learn Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Map of the Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library as a hierarchy in the Poincaré disk: general groups at the centre, specific ones toward the rim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About RuVision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The library cannot be opened: %1
Choose or create another one with File ▸ Open Library… (Ctrl+L).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RuVision — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) indexed · model %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>This library has no folders yet. Add a folder of photos with File ▸ Add Folder… (Ctrl+Shift+O); it is indexed in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This library has no folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) of near-duplicates</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open or Create a Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Folder of Photos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find Images Similar to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for near-duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No images directly in this folder: open one of its subfolders in the tree.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) in this folder</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Select an image first: click one in the Folder or Similar tab, or find images like any file with Ctrl+O.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 moved to the trash · Undo: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is back from the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renamed %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About RuVision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;RuVision %1&lt;/h3&gt;&lt;p&gt;Visual image search on your own computer, with its own SIMD CNN engine.&lt;/p&gt;&lt;p&gt;Model: &lt;b&gt;%2&lt;/b&gt; (%3-d embeddings)&lt;br&gt;SIMD path: %4&lt;br&gt;Library: %5&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none loaded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::MapPanel</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop building the map; the map stored before stays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up a Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Centre on the parent group of the focus (Backspace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search at this level of the map for the current query (0: the most general groups)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Specific</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>level %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No search at this level: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Level %1: the %n group(s) nearest to %2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Building the map… %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map cannot be shown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The map could not be built: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No map yet: it is built once the library is indexed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the map…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%L1 images in %L2 groups, %3 levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · distortion %1 mean, %2 max · MAP %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · out of date, updating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · out of date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · the last update failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::MarkCommand</name>
    <message>
        <source>Mark “%1” Alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark “%1” Different</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the Mark on “%1”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::MarksModel</name>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>different</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::PairPane</name>
    <message>
        <source>not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot show %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no image data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 px</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::PairView</name>
    <message numerus="yes">
        <source>%n verdict(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Are these the same picture?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back (Backspace)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the last verdict or skip and show that pair again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same picture (S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A copy of the same picture: another size, format or a light edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alike (A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alike, but not the same picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different (D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No verdict; this pair is not asked again in this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a library to judge pairs of its pictures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the pairs RuVision is least sure of…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine could not choose pairs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No pairs to ask about: the library needs at least two indexed pictures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No more pairs to ask about for now. Thank you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score %1 (threshold %2) · asked because %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate threshold %1 (calibrated from %2; default %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate threshold %1 (the default: a &quot;same&quot; and a &quot;not the same&quot; verdict calibrate it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
While an adapter is active the duplicates view uses its own default</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::PoincareView</name>
    <message>
        <source>%1
level %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The whole library: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near-duplicates: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · level %2 (depth %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Representative: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and %L1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No images in the library yet.
The map is drawn once its folders are indexed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::PreviewWidget</name>
    <message>
        <source>Search This Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Rectangle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected decoder failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no image data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::QueryCard</name>
    <message>
        <source>The query: click to preview it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QUERY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The query: %1
Click to preview it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading its size…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>size unknown: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no preview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::RegionSelector</name>
    <message>
        <source>Search This Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find library images with a part like this rectangle (Esc clears it)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::ResultMarks</name>
    <message>
        <source>Alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected result is the kind of picture you are looking for (A; again: remove the mark)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected result is not what you are looking for (D; again: remove the mark)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marks are given on the results of the Similar tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo Mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo Mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Shift+Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The results could not be re-ranked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marks are given on the results of a query.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a result first: marks are given on the results of the query.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 marked alike: re-ranking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 marked different: re-ranking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark on %1 removed: re-ranking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Re-ranked with your marks: %n picture(s) moved</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Looking up the marks of this query…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marks need a query that is a file of the library: this one is %1. Find images similar to a library file to mark its results.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pixels, not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No library is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The marks cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a file of the library: only the results of a library file can be marked. Add its folder to the library to mark them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mark on %1 was not stored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::SearchPage</name>
    <message>
        <source>Choose an image and press Enter, drop one here, or paste one (Ctrl+V) to see what looks like it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images like &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s), best first</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n more file(s) are copies of them (click a &quot;copies&quot; badge or press Space to show them)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Files that are the same picture (equal contents, or resized and re-encoded copies verified on pixels) are shown once, as the largest file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::ThumbnailDelegate</name>
    <message numerus="yes">
        <source>Hide %n copy(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n copy(ies)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>copy of #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::TuneStatus</name>
    <message>
        <source>Tune Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tune an adapter version to this library&apos;s own images: edited views of each image are taught alike; it becomes active only if held-out images are found better</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tune after indexing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After indexing adds images (50 or more in the library, most of them not tuned on yet), tune in the background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning to the library in the background…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning to the library…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for indexing or learning to finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decoding and embedding edited views of the images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>building the version&apos;s index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning to the library: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning gave way to indexing or was cancelled: nothing was stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning cancelled: nothing was stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuning failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1 tuned on %2 (%3 views)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1, active: held-out %2 → %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, not active: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the background: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::VersionsChart</name>
    <message>
        <source>Held-out score per version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each version&apos;s pair AUC on the marks the guard held out when it was made (1 = every alike pair scores above every different one; 0.5 = chance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held-out score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active: version @xPoint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::VersionsModel</name>
    <message>
        <source>Version %1, made %2
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out score (pair AUC) of the version active when this one was made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held-out score (pair AUC) of this version, on the same held-out marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>rv::ui::marks</name>
    <message>
        <source>alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>different</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marked alike to the query: click again (or press A) to remove the mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marked different from the query: click again (or press D) to remove the mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alike (A): this is the kind of picture you are looking for; the results re-rank at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Different (D): this is not what you are looking for; the results re-rank at once</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
