-- OS templates that only some backends can install: an empty list means every backend (debian-12, which each
-- backend builds in its own form). Debian 13 riscv64 exists for the RISC-V emulator only
-- (deploy/emulator/debian/build.sh), so it is offered with the emulator's plans and refused on any other.
alter table os_template add column backends text[] not null default '{}';

insert into os_template (name, label, backends) values ('debian-13', 'Debian 13 (trixie) riscv64', '{emulator}')
    on conflict (name) do update set backends = excluded.backends;
