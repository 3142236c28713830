import { useEffect, useState } from 'react';
import { ImportList } from './import-list';
import { ImportUploadForm } from './import-upload-form';
import { mayUse } from './roles';
import { useSession } from './session-context';
import { useVoterImports } from './use-voter-imports';
import { VoterBrowser } from './voter-browser';

/**
 * The voter file: data leads and alliance admins bring in files and follow their imports; every
 * role with voters to see (anchors their region and members' turf, org leads their own turf)
 * looks through them.
 */
export function VoterFilePage() {
  const { memberships } = useSession();
  const imports = mayUse(memberships, 'voterImports');
  // Goes up each time an import is seen to succeed, so the voter browser refreshes.
  const [succeededCount, setSucceededCount] = useState(0);

  return (
    <div className="page">
      <header className="page-header">
        <h1>Voter file</h1>
        <p className="lede">
          {imports
            ? 'Import voter files and vote history, follow each import, and browse the voters they hold.'
            : 'Browse and export the voters your organization may see.'}
        </p>
      </header>

      {imports && <VoterImports onSucceeded={setSucceededCount} />}

      <section className="panel" aria-labelledby="browse-title">
        <h2 id="browse-title">Browse voters</h2>
        <VoterBrowser refreshKey={succeededCount} />
      </section>
    </div>
  );
}

function VoterImports({ onSucceeded }: { onSucceeded: (count: number) => void }) {
  const { imports, error, succeededCount, reload, add } = useVoterImports();
  useEffect(() => onSucceeded(succeededCount), [succeededCount, onSucceeded]);
  return (
    <div className="voter-file-columns">
      <section className="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload a file</h2>
        <ImportUploadForm onUploaded={add} />
      </section>

      <section className="panel" aria-labelledby="imports-title">
        <h2 id="imports-title">Imports</h2>
        <ImportList imports={imports} error={error} onRetry={reload} />
      </section>
    </div>
  );
}
