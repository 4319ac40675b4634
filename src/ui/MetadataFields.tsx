/** The four fields that name an image in Glean: "Type", "ID", "Datasource", "Content ID". */
import { IMAGE_TYPES, type ImageMetadata, type ImageType } from '../shared/imageMetadata.ts';

interface Props {
  value: ImageMetadata;
  onChange: (value: ImageMetadata) => void;
  disabled?: boolean;
}

export function MetadataFields({ value, onChange, disabled = false }: Props) {
  const field = (name: 'id' | 'ds' | 'cid', label: string, hint: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        type="text"
        name={name}
        value={value[name] ?? ''}
        placeholder={hint}
        maxLength={256}
        autoComplete="off"
        spellcheck={false}
        disabled={disabled}
        onInput={(event) => onChange({ ...value, [name]: event.currentTarget.value })}
      />
    </label>
  );
  return (
    <div class="metadata">
      <label class="field">
        <span>Type</span>
        <select
          name="type"
          value={value.type ?? ''}
          disabled={disabled}
          onChange={(event) => onChange({ ...value, type: event.currentTarget.value as ImageType | '' })}
        >
          <option value="">(none)</option>
          {IMAGE_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      {field('id', 'ID', 'user id, doctype…')}
      {field('ds', 'Datasource', 'e.g. confluence')}
      {field('cid', 'Content ID', 'optional')}
    </div>
  );
}
