package io.mcrsrt.ts.psi;

import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Follows the PSI of a transport stream: the PAT on PID 0, the PMTs it points to, the SDT on PID 0x11. The CRC_32 of
 * every section is checked on those PIDs and on the other PSI PIDs ETSI TR 101 290 (CRC_error) names: the CAT (PID 1),
 * the NIT (the PAT's network_PID) and, once an SDT shows the stream uses DVB PIDs, the EIT (0x12) and TOT (0x14).
 * Sections with a bad CRC or a bad layout are counted and ignored; a table is parsed only when its bytes change, so
 * feeding every packet costs little (the PMTs of several programs sharing a PID are told apart by program_number, each
 * parsed and signalled as changed only when its own bytes change). Version changes are counted per table. Only tables
 * in force count: a section sent ahead with current_next_indicator 0 is ignored, a PMT is taken only from the PID the
 * current PAT lists for its program, and a program the PAT drops loses its PMT. A PAT or SDT carried in several
 * sections is the programs or services of all the sections of its version together.
 *
 * <p>Not thread-safe: one tracker belongs to the thread that reads the stream; the tables it returns are immutable.
 */
public final class PsiTracker {
    /** PID of the conditional access table (ISO/IEC 13818-1 Table 2-3). */
    private static final int CAT_PID = 0x0001;
    /** DVB PIDs of the event information table and of the time and date / time offset tables. */
    private static final int EIT_PID = 0x0012;
    private static final int TDT_TOT_PID = 0x0014;
    /** DVB table_ids of the time and date table and the stuffing table, which carry no CRC_32. */
    private static final int TDT_TABLE_ID = 0x70;
    private static final int ST_TABLE_ID = 0x72;

    /** Assemblers by PID; null where the PID carries no PSI we follow. */
    private final SectionAssembler[] assemblers = new SectionAssembler[TsPacket.MAX_PID + 1];
    /** CRC_32 of the last section of each table this tracker parses (PAT, SDT, PMT), to skip re-parsing repeats. */
    private final LastSections lastSections = new LastSections();
    /** The PAT in force, the programs of all its sections together, or null. */
    private Pat pat;
    /** The PAT in force has all its sections (0..last_section_number), not only those seen so far. */
    private boolean patComplete;
    /** The sections of the PAT version being collected, by section_number. */
    private final Map<Integer, Pat> patSections = new java.util.TreeMap<>();
    /** The current PMT per program_number, in PAT order. */
    private final Map<Integer, Pmt> pmts = new LinkedHashMap<>();
    /** The current SDT, all its sections together, or null. */
    private Sdt sdt;
    /** The sections of the current SDT by section_number. */
    private final Map<Integer, Sdt> sdtSections = new java.util.TreeMap<>();
    /** Sections whose CRC_32 did not match. */
    private long crcErrors;
    /** Sections that could not be parsed, last error text. */
    private String lastError;
    /** Version changes seen, all tables together. */
    private long versionChanges;
    /** Optional observer of every complete, valid section. */
    private final SectionAssembler.Listener extra;
    /** Tables as they are found or change. */
    private final List<Runnable> onChange = new ArrayList<>();
    /** Only the PAT and the PMTs are followed: see {@link #programsOnly()}. */
    private final boolean programsOnly;

    public PsiTracker() {
        this(null);
    }

    /**
     * A tracker that also hands every valid section to {@code extra} (for example an analyzer); null for none, as
     * {@link #PsiTracker()}.
     */
    public PsiTracker(SectionAssembler.Listener extra) {
        this(extra, false);
    }

    private PsiTracker(SectionAssembler.Listener extra, boolean programsOnly) {
        this.extra = extra;
        this.programsOnly = programsOnly;
        assemblers[Pat.PID] = new SectionAssembler(Pat.PID, this::onSection);
        if (!programsOnly) {
            assemblers[CAT_PID] = new SectionAssembler(CAT_PID, this::onSection);
            assemblers[Sdt.PID] = new SectionAssembler(Sdt.PID, this::onSection);
        }
    }

    /**
     * A tracker of the PAT and the PMTs it lists alone: {@link #isPsiPid} is true for PID 0 and the PMT PIDs only, the
     * CAT, NIT, SDT, EIT and TDT/TOT are not followed (their CRC_32 not checked, {@link #sdt()} stays null). For a
     * caller that needs only the programs' streams and looks into the packets of the PSI PIDs alone: an EIT schedule
     * can run to megabits a second.
     */
    public static PsiTracker programsOnly() {
        return new PsiTracker(null, true);
    }

    /** Starts checking the sections of {@code pid}, unless they are already followed or a PMT lists it as a stream. */
    private void follow(int pid) {
        if (assemblers[pid] != null) {
            return;
        }
        for (Pmt pmt : pmts.values()) {
            for (Pmt.Stream stream : pmt.streams()) {
                if (stream.pid() == pid) {
                    return;
                }
            }
        }
        assemblers[pid] = new SectionAssembler(pid, this::onSection);
    }

    /** Runs {@code r} whenever the PAT, a PMT or the SDT is found or changes version. */
    public void onChange(Runnable r) {
        Objects.requireNonNull(r, "r must not be null (what to run when a table is found or changes)");
        onChange.add(r);
    }

    /** Feeds one packet; cheap for PIDs that carry no PSI. */
    public void accept(TsPacket p) {
        Objects.requireNonNull(p, "p must not be null (a TS packet)");
        SectionAssembler a = assemblers[p.pid()];
        if (a != null) {
            a.accept(p);
        }
    }

    /**
     * True if {@code pid} carries PSI whose sections are checked: PAT, CAT, NIT, SDT, EIT, TDT/TOT or a PMT PID (the PAT
     * or a PMT PID only, for a tracker made by {@link #programsOnly()}).
     */
    public boolean isPsiPid(int pid) {
        return assemblers[pid] != null;
    }

    private void onSection(int pid, byte[] s, int length) {
        int tableId = s[0] & 0xFF;
        if ((tableId == TDT_TABLE_ID || tableId == ST_TABLE_ID) && (s[1] & 0x80) == 0) {
            // The DVB time and date table and stuffing table are short sections without CRC_32.
            if (extra != null) {
                extra.onSection(pid, s, length);
            }
            return;
        }
        if (!Crc32Mpeg.verify(s, 0, length)) {
            crcErrors++;
            return;
        }
        if (extra != null) {
            extra.onSection(pid, s, length);
        }
        int crc = ((s[length - 4] & 0xFF) << 24) | ((s[length - 3] & 0xFF) << 16) | ((s[length - 2] & 0xFF) << 8)
                | (s[length - 1] & 0xFF);
        if (length > 5 && (s[1] & 0x80) != 0 && (s[5] & 0x01) == 0) {
            // current_next_indicator 0: the table announced for later, not yet applicable (ISO/IEC 13818-1 2.4.4.5).
            return;
        }
        if (length > 7 && (tableId == Pmt.TABLE_ID || tableId == Pat.TABLE_ID || tableId == Sdt.TABLE_ID_ACTUAL)) {
            // A repeat is judged against the last section of the same part of the same table: the PMTs of several
            // programs may share a PID (ISO/IEC 13818-1 2.4.4.8, told apart by program_number), and a large PAT or SDT
            // comes in several sections (section_number) that would otherwise each look new after the other.
            int part = tableId == Pmt.TABLE_ID ? ((s[3] & 0xFF) << 8) | (s[4] & 0xFF) : s[6] & 0xFF;
            if (!lastSections.record(pid, tableId, part, crc)) {
                return;
            }
        }
        try {
            if (pid == Pat.PID && tableId == Pat.TABLE_ID) {
                Pat next = patFromSection(Pat.parse(s, 0, length), s[6] & 0xFF, s[7] & 0xFF);
                if (next == null || next.equals(pat)) {
                    return;
                }
                if (pat != null && pat.version() != next.version()) {
                    versionChanges++;
                }
                Pat old = pat;
                pat = next;
                if (old != null) {
                    // A program the new PAT drops, or maps to another PID, no longer has the PMT it had.
                    for (Pat.Program was : old.programs()) {
                        if (pmtPid(next, was.programNumber()) != was.pmtPid()) {
                            pmts.remove(was.programNumber());
                        }
                    }
                }
                if (next.networkPid() >= 0 && !programsOnly) {
                    follow(next.networkPid());
                }
                for (Pat.Program program : next.programs()) {
                    if (assemblers[program.pmtPid()] == null) {
                        assemblers[program.pmtPid()] = new SectionAssembler(program.pmtPid(), this::onSection);
                    }
                    // Parse the next PMTs on this PID even if their bytes are those of ones ignored before.
                    lastSections.forget(program.pmtPid());
                }
                changed();
            } else if (pid == Sdt.PID && tableId == Sdt.TABLE_ID_ACTUAL) {
                Sdt section = Sdt.parse(s, 0, length);
                if (sdt != null && (sdt.version() != section.version()
                        || sdt.transportStreamId() != section.transportStreamId())) {
                    if (sdt.version() != section.version()) {
                        versionChanges++;
                    }
                    sdtSections.clear();
                }
                // A large multiplex describes its services over several sections (section_number..last_section_number).
                int lastNumber = s[7] & 0xFF;
                sdtSections.put(s[6] & 0xFF, section);
                sdtSections.keySet().removeIf(number -> number > lastNumber);
                List<Sdt.Service> services = new ArrayList<>();
                for (Sdt part : sdtSections.values()) {
                    services.addAll(part.services());
                }
                Sdt next = new Sdt(section.transportStreamId(), section.version(), section.originalNetworkId(), services);
                if (next.equals(sdt)) {
                    return;
                }
                sdt = next;
                // An SDT on PID 0x11: DVB PID allocation (EN 300 468 5.1.3), so EIT and TDT/TOT have their PIDs too.
                follow(EIT_PID);
                follow(TDT_TOT_PID);
                changed();
            } else if (tableId == Pmt.TABLE_ID) {
                int program = ((s[3] & 0xFF) << 8) | (s[4] & 0xFF);
                if (pat == null || pmtPid(pat, program) != pid) {
                    // Not where the current PAT puts this program's PMT (a PID the PAT used to list).
                    return;
                }
                Pmt old = pmts.get(program);
                Pmt next = Pmt.parse(s, 0, length);
                if (next.equals(old)) {
                    return;
                }
                if (old != null && old.version() != next.version()) {
                    versionChanges++;
                }
                pmts.put(program, next);
                changed();
            }
        } catch (TsException e) {
            lastError = e.getMessage();
        }
    }

    /**
     * Adds one PAT section to the version being collected and returns the PAT to put in force, or null to keep the one
     * in force. A PAT may be split over several sections (section_number 0..last_section_number, ISO/IEC 13818-1
     * 2.4.4.3), each listing some of the programs; the table is all of them together. A new version replaces a complete
     * table only once all its sections are in, so programs of the sections not yet seen do not drop out (and lose
     * their PMT) in between; before the first complete table the programs seen so far are shown.
     */
    private Pat patFromSection(Pat section, int sectionNumber, int lastSectionNumber) {
        Pat collecting = patSections.isEmpty() ? null : patSections.values().iterator().next();
        if (collecting != null && (collecting.version() != section.version()
                || collecting.transportStreamId() != section.transportStreamId())) {
            patSections.clear();
        }
        patSections.put(sectionNumber, section);
        patSections.keySet().removeIf(number -> number > lastSectionNumber);
        boolean complete = patSections.size() == lastSectionNumber + 1;
        if (patComplete && !complete) {
            return null;
        }
        patComplete = complete;
        List<Pat.Program> programs = new ArrayList<>();
        int networkPid = -1;
        for (Pat part : patSections.values()) {
            programs.addAll(part.programs());
            if (part.networkPid() >= 0) {
                networkPid = part.networkPid();
            }
        }
        return new Pat(section.transportStreamId(), section.version(), section.currentNext(), programs, networkPid);
    }

    /** The PMT PID {@code pat} gives for {@code programNumber}, or -1 when it does not list the program. */
    private static int pmtPid(Pat pat, int programNumber) {
        for (Pat.Program p : pat.programs()) {
            if (p.programNumber() == programNumber) {
                return p.pmtPid();
            }
        }
        return -1;
    }

    private void changed() {
        for (Runnable r : onChange) {
            r.run();
        }
    }

    /** The current PAT with the programs of all its sections, or null before one was seen. */
    public Pat pat() {
        return pat;
    }

    /** The current PMTs by program_number. */
    public Map<Integer, Pmt> pmts() {
        return Collections.unmodifiableMap(pmts);
    }

    /** The PMT of the first program in the PAT, or null. */
    public Pmt firstPmt() {
        if (pat == null || pat.programs().isEmpty()) {
            return null;
        }
        return pmts.get(pat.programs().getFirst().programNumber());
    }

    /** The current SDT with the services of all its sections, or null. */
    public Sdt sdt() {
        return sdt;
    }

    public long crcErrors() {
        return crcErrors;
    }

    public long versionChanges() {
        return versionChanges;
    }

    /** The last parse error, or null. */
    public String lastError() {
        return lastError;
    }

    /**
     * CRC_32 of the last section of each table part (a PMT's program, a PAT's or SDT's section_number) on each PID. A
     * list searched in order: a stream has a handful of programs and sections, and it grows only when one first shows
     * up on a PID.
     */
    private static final class LastSections {
        /** {@code pid << 24 | table_id << 16 | part} per entry. */
        private long[] keys = new long[8];
        /** CRC_32 of the last section per entry. */
        private int[] crcs = new int[8];
        /** Entries in use. */
        private int size;

        /** Records {@code crc} as the last section of {@code part} of {@code tableId} on {@code pid}; false if so. */
        boolean record(int pid, int tableId, int part, int crc) {
            long key = ((long) pid << 24) | ((long) tableId << 16) | part;
            for (int i = 0; i < size; i++) {
                if (keys[i] == key) {
                    if (crcs[i] == crc) {
                        return false;
                    }
                    crcs[i] = crc;
                    return true;
                }
            }
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
                crcs = java.util.Arrays.copyOf(crcs, size * 2);
            }
            keys[size] = key;
            crcs[size] = crc;
            size++;
            return true;
        }

        /** Forgets the sections seen on {@code pid}, so the next ones are parsed whatever their bytes. */
        void forget(int pid) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (keys[i] >>> 24 != pid) {
                    keys[kept] = keys[i];
                    crcs[kept] = crcs[i];
                    kept++;
                }
            }
            size = kept;
        }
    }
}
