import { useState } from 'preact/hooks';
import type { AgentView } from '../../../types';
import { useAction, useApp } from '../app-context';
import { DataTable, type Column } from '../components/data-table';
import { Done, FormEnd, FormProblem } from '../components/notice';
import { TextFields, useTextForm, type TextFieldSpec } from '../components/text-fields';
import { TextInput } from '../components/text-input';
import { withUnshown } from '../problems';

type NewAgentField = 'name' | 'brokerage' | 'senderNumber' | 'forwardTo';
const newAgentFields: TextFieldSpec<NewAgentField>[] = [
  { name: 'name', label: 'Agent name' },
  { name: 'brokerage', label: 'Brokerage' },
  { name: 'senderNumber', id: 'senderNumber', label: 'Texts from (Twilio number)', type: 'tel' },
  { name: 'forwardTo', id: 'forwardTo', label: 'Forward replies to (agent’s phone)', type: 'tel' },
];

/** An agent as this page last saw it, with the reason it was suspended for here. */
type ListedAgent = AgentView & { reason?: string };

const agentColumns: Column<ListedAgent>[] = [
  {
    header: 'Agent',
    cell: (agent) => (
      <>
        {agent.name}, {agent.brokerage}
        <br />
        <code>{agent.agentId}</code>
      </>
    ),
  },
  { header: 'Texts from', cell: (agent) => agent.senderNumber },
  {
    header: 'Status',
    class: 'agent-status',
    cell: (agent) => (agent.suspended ? `Suspended${agent.reason ? `: ${agent.reason}` : ''}` : 'Active'),
  },
];

/** Admin: create agents (the key is shown once), suspend with a reason, resume. */
export function AgentsPage() {
  const [agents, setAgents] = useState<ListedAgent[]>([]);
  const remember = (agent: ListedAgent) =>
    setAgents((list) => [agent, ...list.filter((other) => other.agentId !== agent.agentId)]);
  return (
    <section>
      <h1>Agents</h1>
      <div class="columns">
        <CreateAgent onCreated={remember} />
        <ManageAgent agents={agents} onChanged={remember} />
      </div>
    </section>
  );
}

function CreateAgent({ onCreated }: { onCreated: (agent: AgentView) => void }) {
  const { api } = useApp();
  const action = useAction();
  const { form, set, reset } = useTextForm(() => ({
    name: '',
    brokerage: '',
    senderNumber: '',
    forwardTo: '',
  }));
  const [created, setCreated] = useState<{ agentId: string; apiKey: string }>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setCreated(undefined);
    const answer = await action.run(() => api.agents.create(form));
    if (answer) {
      setCreated({ agentId: answer.agentId, apiKey: answer.apiKey });
      reset();
      onCreated(answer.agent);
    }
  };
  const shown = withUnshown(
    action.problems,
    newAgentFields.map((field) => field.name),
  );
  return (
    <form class="card stack" onSubmit={submit} noValidate aria-labelledby="create-agent-title">
      <h2 id="create-agent-title">Create an agent</h2>
      <TextFields idPrefix="agent" fields={newAgentFields} form={form} set={set} errors={shown.fields} />
      <FormEnd problems={shown} busy={action.busy}>
        Create agent
      </FormEnd>
      {created && (
        <div class="notice notice-done" role="status">
          <p>
            Agent <code class="agent-id">{created.agentId}</code> created. Their API key, shown only now:
          </p>
          <p>
            <code class="api-key">{created.apiKey}</code>
          </p>
        </div>
      )}
    </form>
  );
}

function ManageAgent({
  agents,
  onChanged,
}: {
  agents: ListedAgent[];
  onChanged: (agent: ListedAgent) => void;
}) {
  const { api } = useApp();
  const action = useAction();
  const [agentId, setAgentId] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  const id = agentId.trim() || agents[0]?.agentId || '';

  const act = async (suspend: boolean) => {
    setDone(undefined);
    if (suspend && reason.trim() === '') {
      action.setProblems({ fields: { reason: 'Say why the agent is suspended; it goes on the record.' } });
      return;
    }
    const agent = await action.run(() =>
      suspend ? api.agents.suspend(id, reason.trim()) : api.agents.resume(id),
    );
    if (agent) {
      setDone(
        `${agent.name} (${agent.agentId}) is ${agent.suspended ? `suspended: ${reason.trim()}` : 'active'}.`,
      );
      onChanged({ ...agent, ...(suspend ? { reason: reason.trim() } : {}) });
    }
  };
  const shown = withUnshown(action.problems, ['agentId', 'reason']);
  return (
    <div class="card stack">
      <h2>Suspend or resume</h2>
      <TextInput
        id="manage-agent-id"
        label="Agent id"
        value={agentId}
        onValue={setAgentId}
        error={shown.fields.agentId}
        hint={agents[0] && !agentId ? `Blank: the last agent listed below (${agents[0].agentId})` : undefined}
      />
      <TextInput
        id="suspend-reason"
        label="Reason for suspension"
        multiline
        value={reason}
        onValue={setReason}
        error={shown.fields.reason}
      />
      <div class="actions">
        <button type="button" disabled={action.busy} onClick={() => act(true)}>
          Suspend
        </button>
        <button type="button" disabled={action.busy} onClick={() => act(false)}>
          Resume
        </button>
      </div>
      <FormProblem problems={shown} />
      <Done text={done} />
      {agents.length > 0 && (
        <DataTable
          caption="Agents changed in this session"
          columns={agentColumns}
          rows={agents}
          rowKey={(agent) => agent.agentId}
        />
      )}
    </div>
  );
}
