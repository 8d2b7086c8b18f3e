package io.mcrsrt.ts.psi;

import io.mcrsrt.ts.TsException;
import io.mcrsrt.ts.TsPacket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the PSI of a transport stream: the PAT on PID 0, the PMTs it points to, the SDT on PID 0x11. Sections with a
 * bad CRC or a bad layout are counted and ignored; a table is parsed only when its bytes change, so feeding every
 * packet costs little. Version changes are counted per table.
 *
 * <p>Not thread-safe: one tracker belongs to the thread that reads the stream; the tables it returns are immutable.
 */
public final class PsiTracker {
    /** Assemblers by PID; null where the PID carries no PSI we follow. */
    private final SectionAssembler[] assemblers = new SectionAssembler[TsPacket.MAX_PID + 1];
    /** table_id and CRC_32 of the last section per PID ({@code table_id << 32 | crc}), to skip re-parsing repeats. */
    private final long[] lastSection = new long[TsPacket.MAX_PID + 1];
    /** The current PAT, or null. */
    private Pat pat;
    /** The current PMT per program_number, in PAT order. */
    private final Map<Integer, Pmt> pmts = new LinkedHashMap<>();
    /** The current SDT, or null. */
    private Sdt sdt;
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

    public PsiTracker() {
        this(null);
    }

    /** A tracker that also hands every valid section to {@code extra} (for example an analyzer). */
    public PsiTracker(SectionAssembler.Listener extra) {
        this.extra = extra;
        java.util.Arrays.fill(lastSection, -1);
        assemblers[Pat.PID] = new SectionAssembler(Pat.PID, this::onSection);
        assemblers[Sdt.PID] = new SectionAssembler(Sdt.PID, this::onSection);
    }

    /** Runs {@code r} whenever the PAT, a PMT or the SDT is found or changes version. */
    public void onChange(Runnable r) {
        onChange.add(r);
    }

    /** Feeds one packet; cheap for PIDs that carry no PSI. */
    public void accept(TsPacket p) {
        SectionAssembler a = assemblers[p.pid()];
        if (a != null) {
            a.accept(p);
        }
    }

    /** True if {@code pid} is the PAT, the SDT or a PMT PID announced in the PAT. */
    public boolean isPsiPid(int pid) {
        return assemblers[pid] != null;
    }

    private void onSection(int pid, byte[] s, int length) {
        if (!Crc32Mpeg.verify(s, 0, length)) {
            crcErrors++;
            return;
        }
        if (extra != null) {
            extra.onSection(pid, s, length);
        }
        int tableId = s[0] & 0xFF;
        int crc = ((s[length - 4] & 0xFF) << 24) | ((s[length - 3] & 0xFF) << 16) | ((s[length - 2] & 0xFF) << 8)
                | (s[length - 1] & 0xFF);
        long signature = ((long) tableId << 32) | (crc & 0xFFFFFFFFL);
        if (lastSection[pid] == signature) {
            return;
        }
        lastSection[pid] = signature;
        try {
            if (pid == Pat.PID && tableId == Pat.TABLE_ID) {
                Pat next = Pat.parse(s, 0, length);
                if (pat != null && pat.version() != next.version()) {
                    versionChanges++;
                }
                pat = next;
                for (Pat.Program program : next.programs()) {
                    if (assemblers[program.pmtPid()] == null) {
                        assemblers[program.pmtPid()] = new SectionAssembler(program.pmtPid(), this::onSection);
                    }
                }
                changed();
            } else if (pid == Sdt.PID && tableId == Sdt.TABLE_ID_ACTUAL) {
                Sdt next = Sdt.parse(s, 0, length);
                if (sdt != null && sdt.version() != next.version()) {
                    versionChanges++;
                }
                sdt = next;
                changed();
            } else if (tableId == Pmt.TABLE_ID) {
                int program = ((s[3] & 0xFF) << 8) | (s[4] & 0xFF);
                Pmt old = pmts.get(program);
                Pmt next = Pmt.parse(s, 0, length);
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

    private void changed() {
        for (Runnable r : onChange) {
            r.run();
        }
    }

    /** The current PAT, or null before one was seen. */
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

    /** The current SDT, or null. */
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
}
