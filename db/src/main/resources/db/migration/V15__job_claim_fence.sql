-- A fencing token per claim, drawn from one sequence so that no two claims of any jobs share it: every write of a
-- worker is conditional on the token its claim got. claimed_by alone did not fence: all threads of one worker share
-- that id.
create sequence job_fence;
alter table job add column fence bigint not null default 0;
