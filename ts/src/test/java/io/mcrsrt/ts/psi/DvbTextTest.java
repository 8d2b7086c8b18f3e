package io.mcrsrt.ts.psi;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcrsrt.ts.TestStreams;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Service and provider names in every character table of EN 300 468 Annex A that matters, given as bytes. */
class DvbTextTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no selector: default table | 42424320 4F6E65 | BBC One",
        "no selector: emphasis codes left out, CR/LF a space | 86 424243 87 8A 4F6E65 | BBC One",
        "no selector: acute before its letter, ISO/IEC 6937 | 54 C2 65 6C C2 65 | Télé",
        "no selector: caron on a capital and a small letter | CF 43 65 CF 73 74 69 6E 61 | Čeština",
        "no selector: diaeresis | 5A C8 75 72 69 63 68 | Zürich",
        "no selector: stroke letters of 0xE0..0xFF and accents | E8 C2 6F 64 C2 7A | Łódź",
        "no selector: 0xE9 is Ø, not é as in ISO 8859-1 | E9 72 73 74 65 64 | Ørsted",
        "no selector: sharp s | 53 74 72 61 FB 65 | Straße",
        "no selector: 0xA4 is the euro sign | 31 30 20 A4 | 10 €",
        "no selector: accent, then space, is the spacing accent | 41 C2 20 42 | A´B",
        "no selector: accent at the end stands alone | 41 C8 | A¨",
        "no selector: accent before a digit stands alone | C2 31 | ´1",
        "no selector: accent before a control code stands alone | C1 8A 61 | ` a",
        "no selector: no precomposed q with circumflex, so q and the combining mark | C3 71 | q\u0302",
        "no selector: unassigned byte 0xA6 | 41 A6 | A\uFFFD",
        "no selector: symbols | A9 41 AA D3 D4 D5 B0 | ‘A“©™♪°",
        "0x01: ISO 8859-5 | 01 BFD5E0D2EBD9 | Первый",
        "0x05: ISO 8859-9 | 05 DD7374616E62756C | İstanbul",
        "0x05: emphasis codes left out | 05 86 DD 87 7374616E62756C | İstanbul",
        "0x10 0x00 0x02: ISO 8859-2 | 10 0002 A3F364BC | Łódź",
        "0x10 0x00 0x0F: ISO 8859-15 | 10 000F A4 | €",
        "0x11: ISO 10646 BMP, two bytes a character | 11 4E2D 6587 | 中文",
        "0x11: emphasis codes left out | 11 E086 4E2D E087 6587 | 中文",
        "0x15: UTF-8 | 15 636166C3A9 | café",
        "0x0C: reserved selector | 0C 4142 | [not decoded: character table selector 0x0C is reserved in EN 300 468 "
                + "Annex A; bytes 0C 41 42]",
        "0x08: ISO 8859-12 does not exist | 08 41 | [not decoded: character table selector 0x08 is reserved in EN 300 "
                + "468 Annex A; bytes 08 41]",
        "0x12: KS X 1001 (EUC-KR) | 12 C7D1 B1B9 B9E6 BCDB | 한국방송",
        "0x12: emphasis codes left out, CR/LF a space | 12 86 C7D1 B1B9 87 8A B9E6 BCDB | 한국 방송",
        "0x13: GB-2312 (EUC-CN) | 13 D6D0 D1EB B5E7 CAD3 CCA8 | 中央电视台",
        "0x14: Big5, a second byte in ASCII | 14 A4BD A640 B971 B5F8 | 公共電視",
        "0x1F: compressed text | 1F 01 A34B | [not decoded: character table 0x1F: text compressed with "
                + "encoding_type_id 0x01 (ETSI TS 101 162), which is not decoded; bytes 1F 01 A3 4B]",
        "0x1F alone | 1F | [not decoded: selector 0x1F without the encoding_type_id byte after it; bytes 1F]",
        "0x15: an escape sequence does not reach the terminal | 15 1B 5B33316D 41 | \uFFFD[31mA",
        "0x15: C1 control U+009B | 15 C29B 41 | \uFFFDA",
        "0x11: C0 control | 11 0041 0007 0042 | A\uFFFDB",
        "0x01: C0 control in ISO 8859-5 | 01 41 07 42 | A\uFFFDB",
        "0x12: C0 control in EUC-KR | 12 C7D1 1B B1B9 | 한\uFFFD국",
        "no selector: C0 control and DEL | 41 1B 42 7F | A\uFFFDB\uFFFD",
        "0x10 0x00 0x0C: no such part | 10 000C 41 | [not decoded: selector 0x10 0x000C names no ISO/IEC 8859 part "
                + "(expected: 0x0001..0x000F, not 0x000C); bytes 10 00 0C 41]",
        "0x10 cut short | 10 00 | [not decoded: selector 0x10 without the two bytes naming the ISO/IEC 8859 part; "
                + "bytes 10 00]",
        "0x06: ISO 8859-10, which Java lacks | 06 41 | [not decoded: ISO/IEC 8859-10 is not available in this Java "
                + "runtime; bytes 06 41]",
    })
    void decodesByCharacterTable(String table, String hex, String expected) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        byte[] padded = new byte[b.length + 2];
        System.arraycopy(b, 0, padded, 1, b.length);
        assertThat(DvbText.decode(padded, 1, b.length)).isEqualTo(expected);
    }

    @Test
    void sdtNamesAreDecodedByTheirOwnCharacterTables() {
        byte[] provider = HexFormat.of().parseHex("05DD7374616E62756C"); // İstanbul, ISO 8859-9
        byte[] name = HexFormat.of().parseHex("100002A3F364BC"); // Łódź, ISO 8859-2
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int loop = 2 + 3 + provider.length + name.length;
        b.writeBytes(new byte[] {0x42, (byte) 0xF0, 0, 0, 1, (byte) 0xC1, 0, 0, 0, 1, (byte) 0xFF, 0, 7, (byte) 0xFC,
            (byte) 0x80, (byte) loop, 0x48, (byte) (loop - 2), 0x01, (byte) provider.length});
        b.writeBytes(provider);
        b.write(name.length);
        b.writeBytes(name);
        byte[] s = TestStreams.section(b.toByteArray());
        Sdt.Service service = Sdt.parse(s, 0, s.length).services().getFirst();
        assertThat(service.providerName()).isEqualTo("İstanbul");
        assertThat(service.serviceName()).isEqualTo("Łódź");
    }
}
