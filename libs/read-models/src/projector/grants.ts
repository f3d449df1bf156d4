import type { QueryRunner } from 'typeorm';

interface Grant {
  privilege: string;
  grantee: string;
  grantable: boolean;
}

const GRANTEE = `CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END`;

const withOption = (grant: Grant) => (grant.grantable ? ' WITH GRANT OPTION' : '');

/**
 * Gives the schema `to` and its tables and sequences the privileges other roles hold on `from` and its relations of
 * the same name and kind, with the default privileges `from` sets for new tables and sequences. A replay builds its
 * schema fresh, so without this a swap would silently take away every grant of a least-privilege role (the API's
 * read-only user answering "permission denied" from then on). The owner's own privileges are not copied: the
 * replaying user owns what it created.
 */
export const copyGrants = async (queryRunner: QueryRunner, from: string, to: string): Promise<void> => {
  const statements: string[] = [];
  const onSchema = (await queryRunner.query(
    `SELECT a.privilege_type AS privilege, ${GRANTEE} AS grantee, a.is_grantable AS grantable
       FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = $1 AND a.grantee <> n.nspowner`,
    [from],
  )) as Grant[];
  for (const grant of onSchema) statements.push(`GRANT ${grant.privilege} ON SCHEMA "${to}" TO ${grant.grantee}${withOption(grant)}`);

  const onRelations = (await queryRunner.query(
    `SELECT quote_ident(c.relname) AS relation, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
            a.privilege_type AS privilege, ${GRANTEE} AS grantee, a.is_grantable AS grantable
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
      WHERE n.nspname = $1 AND a.grantee <> c.relowner
        AND EXISTS (SELECT 1 FROM pg_class r JOIN pg_namespace rn ON rn.oid = r.relnamespace
                     WHERE rn.nspname = $2 AND r.relname = c.relname AND r.relkind = c.relkind)`,
    [from, to],
  )) as (Grant & { relation: string; kind: 'TABLE' | 'SEQUENCE' })[];
  for (const grant of onRelations)
    statements.push(`GRANT ${grant.privilege} ON ${grant.kind} "${to}".${grant.relation} TO ${grant.grantee}${withOption(grant)}`);

  const defaults = (await queryRunner.query(
    `SELECT quote_ident(pg_get_userbyid(d.defaclrole)) AS owner, CASE d.defaclobjtype WHEN 'S' THEN 'SEQUENCES' ELSE 'TABLES' END AS kind,
            a.privilege_type AS privilege, ${GRANTEE} AS grantee, a.is_grantable AS grantable
       FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
      WHERE n.nspname = $1 AND d.defaclobjtype IN ('r', 'S')`,
    [from],
  )) as (Grant & { owner: string; kind: 'TABLES' | 'SEQUENCES' })[];
  for (const grant of defaults) {
    statements.push(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${grant.owner} IN SCHEMA "${to}" GRANT ${grant.privilege} ON ${grant.kind} TO ${grant.grantee}${withOption(grant)}`,
    );
  }
  for (const statement of statements) await queryRunner.query(statement);
};
