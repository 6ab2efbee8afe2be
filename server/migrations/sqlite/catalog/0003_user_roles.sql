-- Staff lookups by role within a tenant (auto-assignment asks for a tenant's active EXPERTs on
-- every ticket create; with the tenant's portal users in users_tenant_idx that was a scan of all
-- of them: 0.2 ms at 1,000 users, issue #4's benchmark).
CREATE INDEX users_role_idx ON users (tenant_id, role, status);
