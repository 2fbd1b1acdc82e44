-- Reports, third part: why a density guest did not boot, and whose memory reserve the "fit here" figure keeps.

-- A density guest (one by one or in a burst) that the driver could not create, start or reach within the boot
-- timeout: the reason, so that a burst reads "4 started, 1 booted, 3 failed: <reason>". Null for a guest that
-- booted, or that was planned and never tried.
alter table report_guest add column failure text;

-- Whether the operator's request named reserve_mib. Only then does the "fit here" figure keep that reserve;
-- otherwise it keeps what the node keeps for the host (its memory overcommit below 1), as placement does, and
-- reserve_mib (the default) only stops the density run from starting more guests. Runs from before this column
-- were counted with their reserve, so they keep it.
alter table report_run add column reserve_requested boolean not null default true;
