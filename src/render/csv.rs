//! `coverage.csv`: the topic x organisation matrix of active item counts (RFC 4180: CRLF line
//! ends, quoted where needed). The first count column is the Question's own work items.

use crate::analyse::Analysis;
use crate::model::Model;

/// Renders `coverage.csv`.
pub fn render(model: &Model, analysis: &Analysis) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["topic", "label", "group", "status"];
    header.extend(analysis.matrix.orgs.iter().map(String::as_str));
    header.push("total");
    w.write_record(&header).expect("writing to memory");
    for ((topic_id, counts), coverage) in analysis.matrix.rows.iter().zip(&analysis.topics) {
        let topic = model
            .taxonomy
            .topic(topic_id)
            .expect("matrix rows are taxonomy topics");
        let mut row = vec![
            topic.id.clone(),
            topic.label.clone(),
            topic.group.as_str().to_string(),
            coverage.status.as_str().to_string(),
        ];
        row.extend(counts.iter().map(usize::to_string));
        row.push(counts.iter().sum::<usize>().to_string());
        w.write_record(&row).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}
