package io.mcrsrt.ts.scte35;

import java.util.List;

/**
 * splice_info_section() (ANSI/SCTE 35 9.6): one cue. When {@link #encryptedPacket()} is set, the command and
 * descriptors are encrypted and not decoded: {@link #command()} is null and {@link #descriptors()} is empty.
 *
 * @param tableId table_id (8 bits), 0xFC
 * @param sectionSyntaxIndicator section_syntax_indicator (must be 0)
 * @param privateIndicator private_indicator (must be 0)
 * @param sapType sap_type (2 bits)
 * @param sectionLength section_length (12 bits)
 * @param protocolVersion protocol_version (8 bits)
 * @param encryptedPacket encrypted_packet
 * @param encryptionAlgorithm encryption_algorithm (6 bits)
 * @param ptsAdjustment pts_adjustment (33 bits, 90 kHz)
 * @param cwIndex cw_index (8 bits)
 * @param tier tier (12 bits)
 * @param spliceCommandLength splice_command_length (12 bits; 0xFFF in legacy cues)
 * @param spliceCommandType splice_command_type (8 bits), or -1 when encrypted (it is part of the encrypted bytes)
 * @param command the decoded command, or null when encrypted
 * @param descriptorLoopLength descriptor_loop_length (16 bits), or -1 when encrypted
 * @param descriptors the splice descriptors
 * @param crc32 CRC_32 as carried (it has been verified)
 */
public record SpliceInfoSection(int tableId, boolean sectionSyntaxIndicator, boolean privateIndicator, int sapType,
        int sectionLength, int protocolVersion, boolean encryptedPacket, int encryptionAlgorithm, long ptsAdjustment,
        int cwIndex, int tier, int spliceCommandLength, int spliceCommandType, SpliceCommand command,
        int descriptorLoopLength, List<SpliceDescriptor> descriptors, long crc32) {
    public SpliceInfoSection {
        descriptors = List.copyOf(descriptors);
    }

    /** sap_type as Table 5 names it. */
    public String sapDetails() {
        return switch (sapType) {
            case 0 -> "Type 1 Closed GOP with no leading pictures";
            case 1 -> "Type 2 Closed GOP with leading pictures";
            case 2 -> "Type 3 Open GOP";
            default -> "No Sap Type";
        };
    }

    /** encryption_algorithm as Table 27 names it. */
    public String encryptionAlgorithmName() {
        return switch (encryptionAlgorithm) {
            case 0 -> "No encryption";
            case 1 -> "DES - ECB mode";
            case 2 -> "DES - CBC mode";
            case 3 -> "Triple DES EDE3 - ECB mode";
            default -> encryptionAlgorithm < 32 ? "Reserved" : "User private";
        };
    }
}
