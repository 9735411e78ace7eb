using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class ProcedureChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Procedures",
                type: "character varying(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "Counter");

            migrationBuilder.AddColumn<List<string>>(
                name: "CounterPayment",
                table: "Procedures",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            // Rows stored before the field: the card said online when the procedure was, else the counter.
            migrationBuilder.Sql("UPDATE \"Procedures\" SET \"Channel\" = 'Online' WHERE \"Online\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Procedures");

            migrationBuilder.DropColumn(
                name: "CounterPayment",
                table: "Procedures");
        }
    }
}
