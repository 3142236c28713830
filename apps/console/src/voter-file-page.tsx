import { ImportList } from './import-list';
import { ImportUploadForm } from './import-upload-form';
import { useVoterImports } from './use-voter-imports';
import { VoterBrowser } from './voter-browser';

/** The data lead's page: bring in voter files, follow their imports, look through the voters. */
export function VoterFilePage() {
  const { imports, error, succeededCount, reload, add } = useVoterImports();

  return (
    <div className="page">
      <header className="page-header">
        <h1>Voter file</h1>
        <p className="lede">Import voter files and vote history, follow each import, and browse the voters they hold.</p>
      </header>

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

      <section className="panel" aria-labelledby="browse-title">
        <h2 id="browse-title">Browse voters</h2>
        <VoterBrowser refreshKey={succeededCount} />
      </section>
    </div>
  );
}
