package dev.slice.emulator.cpu;

/** CSR numbers, status bits and trap causes used by the hart. */
final class Csr {
    private Csr() { }

    static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
    static final int CYCLE = 0xC00, TIME = 0xC01, INSTRET = 0xC02;
    static final int SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106, SENVCFG = 0x10A;
    static final int SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143, SIP = 0x144, SATP = 0x180;
    static final int MVENDORID = 0xF11, MARCHID = 0xF12, MIMPID = 0xF13, MHARTID = 0xF14, MCONFIGPTR = 0xF15;
    static final int MSTATUS = 0x300, MISA = 0x301, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305;
    static final int MCOUNTEREN = 0x306, MENVCFG = 0x30A, MCOUNTINHIBIT = 0x320;
    static final int MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342, MTVAL = 0x343, MIP = 0x344;
    static final int MCYCLE = 0xB00, MINSTRET = 0xB02;
    static final int TSELECT = 0x7A0, TDATA1 = 0x7A1, TDATA2 = 0x7A2, TDATA3 = 0x7A3, TINFO = 0x7A4, TCONTROL = 0x7A5;

    // mstatus
    static final long SIE_BIT = 1L << 1, MIE_BIT = 1L << 3, SPIE = 1L << 5, MPIE = 1L << 7, SPP = 1L << 8;
    static final long MPP = 3L << 11, FS = 3L << 13, MPRV = 1L << 17, SUM = 1L << 18, MXR = 1L << 19;
    static final long TVM = 1L << 20, TW = 1L << 21, TSR = 1L << 22, SD = 1L << 63;
    static final long UXL_SXL = (2L << 32) | (2L << 34);
    static final long MSTATUS_WRITABLE = SIE_BIT | MIE_BIT | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;
    static final long SSTATUS_MASK = SIE_BIT | SPIE | SPP | FS | SUM | MXR | (3L << 32) | SD;

    // interrupts (bit numbers in mip/mie)
    static final int SSI = 1, MSI = 3, STI = 5, MTI = 7, SEI = 9, MEI = 11;
    static final long S_INTERRUPTS = (1L << SSI) | (1L << STI) | (1L << SEI);
    static final long ALL_INTERRUPTS = S_INTERRUPTS | (1L << MSI) | (1L << MTI) | (1L << MEI);

    // exceptions
    static final int INSN_MISALIGNED = 0, INSN_ACCESS = 1, ILLEGAL = 2, BREAKPOINT = 3;
    static final int LOAD_MISALIGNED = 4, LOAD_ACCESS = 5, STORE_MISALIGNED = 6, STORE_ACCESS = 7;
    static final int ECALL_U = 8, ECALL_S = 9, ECALL_M = 11;
    static final int INSN_PAGE_FAULT = 12, LOAD_PAGE_FAULT = 13, STORE_PAGE_FAULT = 15;
    static final long MEDELEG_WRITABLE = 0xB3FFL;

    static final long MISA_VALUE = (2L << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);
}
