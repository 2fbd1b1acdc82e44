-- Reports, second part: which backends a run could not measure and why, what each target was measured with,
-- and the per-guest host footprint read from the guests' own processes.

-- A backend the node has that the run did not measure (no GuestExec, not available here), with the reason shown
-- in the report as "not measured: <reason>".
create table report_not_measured (
    run_id  bigint not null references report_run (id),
    backend text   not null,
    reason  text   not null,
    primary key (run_id, backend)
);

-- Each measured target ('bare-metal' or a backend): the OS template its guest was made from (null on bare metal),
-- whether it was emulated (QEMU TCG, the RISC-V emulator) and the field tools found in it (sysbench, fio, iperf3,
-- perf), besides the yardstick that runs everywhere.
create table report_target (
    run_id   bigint  not null references report_run (id),
    target   text    not null,
    template text,
    emulated boolean not null,
    tools    text[]  not null,
    primary key (run_id, target)
);

-- Per density point: PSS of the guests' host processes (smaps_rollup) and their cgroups' kernel memory, per guest,
-- and how many host processes were found for the guests.
alter table report_density
    add column pss_mib_per_guest    double precision,
    add column kernel_mib_per_guest double precision,
    add column guest_processes      int;
