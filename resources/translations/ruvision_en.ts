<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>MapPainter</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln image</numerusform>
            <numerusform>%Ln images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%Ln file(s) in formats RuVision cannot read: %1</source>
        <translation>
            <numerusform>%Ln file in a format RuVision cannot read: %1</numerusform>
            <numerusform>%Ln files in formats RuVision cannot read: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::DuplicateCards</name>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::DuplicatesView</name>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n group</numerusform>
            <numerusform>%n groups</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::ImageGridModel</name>
    <message numerus="yes">
        <source>
%n more file(s) are copies of this picture</source>
        <translation>
            <numerusform>
One more file is a copy of this picture</numerusform>
            <numerusform>
%n more files are copies of this picture</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::IndexingPanel</name>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)…</source>
        <translation>
            <numerusform>%n error…</numerusform>
            <numerusform>%n errors…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Indexing cancelled: %Ln new image(s) indexed; the rest resumes next time</source>
        <translation>
            <numerusform>Indexing cancelled: %Ln new image indexed; the rest resumes next time</numerusform>
            <numerusform>Indexing cancelled: %Ln new images indexed; the rest resumes next time</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Up to date: %Ln image(s) (%L1 new, %L2 moved, %L3 removed) in %4 s</source>
        <translation>
            <numerusform>Up to date: %Ln image (%L1 new, %L2 moved, %L3 removed) in %4 s</numerusform>
            <numerusform>Up to date: %Ln images (%L1 new, %L2 moved, %L3 removed) in %4 s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::LearningPanel</name>
    <message numerus="yes">
        <source>Exported %n mark(s) to %1.</source>
        <translation>
            <numerusform>Exported %n mark to %1.</numerusform>
            <numerusform>Exported %n marks to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n mark(s) from %1.</source>
        <translation>
            <numerusform>Imported %n mark from %1.</numerusform>
            <numerusform>Imported %n marks from %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) could not be placed:</source>
        <translation>
            <numerusform>%n line could not be placed:</numerusform>
            <numerusform>%n lines could not be placed:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Version %1 learned from %n mark(s), active: held-out %2 → %3.</source>
        <translation>
            <numerusform>Version %1 learned from %n mark, active: held-out %2 → %3.</numerusform>
            <numerusform>Version %1 learned from %n marks, active: held-out %2 → %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Version %1 learned from %n mark(s), not active: %2</source>
        <translation>
            <numerusform>Version %1 learned from %n mark, not active: %2</numerusform>
            <numerusform>Version %1 learned from %n marks, not active: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n mark(s)&lt;/b&gt;: %1 alike, %2 different · %3</source>
        <translation>
            <numerusform>&lt;b&gt;%n mark&lt;/b&gt;: %1 alike, %2 different · %3</numerusform>
            <numerusform>&lt;b&gt;%n marks&lt;/b&gt;: %1 alike, %2 different · %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n mark(s).</source>
        <translation>
            <numerusform>Removed %n mark.</numerusform>
            <numerusform>Removed %n marks.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n file(s) moved to the trash</source>
        <translation>
            <numerusform>%n file moved to the trash</numerusform>
            <numerusform>%n files moved to the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) restored from the trash</source>
        <translation>
            <numerusform>%n file restored from the trash</numerusform>
            <numerusform>%n files restored from the trash</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) of near-duplicates</source>
        <translation>
            <numerusform>%n group of near-duplicates</numerusform>
            <numerusform>%n groups of near-duplicates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) in this folder</source>
        <translation>
            <numerusform>%n image in this folder</numerusform>
            <numerusform>%n images in this folder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) indexed · model %1</source>
        <translation>
            <numerusform>%Ln image indexed · model %1</numerusform>
            <numerusform>%Ln images indexed · model %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::MapPanel</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln image</numerusform>
            <numerusform>%Ln images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Level %1: the %n group(s) nearest to %2</source>
        <translation>
            <numerusform>Level %1: the group nearest to %2</numerusform>
            <numerusform>Level %1: the %n groups nearest to %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::PairView</name>
    <message numerus="yes">
        <source>%n verdict(s)</source>
        <translation>
            <numerusform>%n verdict</numerusform>
            <numerusform>%n verdicts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::PoincareView</name>
    <message numerus="yes">
        <source>%Ln image(s)</source>
        <translation>
            <numerusform>%Ln image</numerusform>
            <numerusform>%Ln images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::ResultMarks</name>
    <message numerus="yes">
        <source>Re-ranked with your marks: %n picture(s) moved</source>
        <translation>
            <numerusform>Re-ranked with your marks: %n picture moved</numerusform>
            <numerusform>Re-ranked with your marks: %n pictures moved</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::SearchPage</name>
    <message numerus="yes">
        <source>%n picture(s), best first</source>
        <translation>
            <numerusform>%n picture</numerusform>
            <numerusform>%n pictures, best first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n more file(s) are copies of them (click a &quot;copies&quot; badge or press Space to show them)</source>
        <translation>
            <numerusform>; %n more file is a copy of one of them (click its &quot;copy&quot; badge or press Space to show it)</numerusform>
            <numerusform>; %n more files are copies of them (click a &quot;copies&quot; badge or press Space to show them)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::ThumbnailDelegate</name>
    <message numerus="yes">
        <source>Hide %n copy(ies)</source>
        <translation>
            <numerusform>Hide the copy</numerusform>
            <numerusform>Hide %n copies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n copy(ies)</source>
        <translation>
            <numerusform>+%n copy</numerusform>
            <numerusform>+%n copies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>rv::ui::TuneStatus</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
</context>
</TS>
